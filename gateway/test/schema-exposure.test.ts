import { afterAll, describe, expect, it } from 'vitest';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { schemaExposureFeature } from '../src/schema-exposure.ts';

/**
 * The schema-exposure feature alone, on an Apollo Server of its own: introspection and the
 * Sandbox landing page together, or neither (schema-exposure.e2e covers the whole gateway).
 */

const servers: ApolloServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop())));

async function serverWith(introspection: boolean): Promise<ApolloServer> {
  const { apollo, plugins } = schemaExposureFeature(introspection);
  const server = new ApolloServer({
    typeDefs: 'type Query { ping: String }',
    introspection: apollo?.introspection ?? false,
    plugins: [...(plugins ?? [])] as never,
  });
  await server.start();
  servers.push(server);
  return server;
}

async function exposure(server: ApolloServer) {
  const introspected = await server.executeOperation({
    query: '{ __schema { queryType { name } } }',
  });
  const page = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: 'GET',
      headers: new HeaderMap([['accept', 'text/html']]),
      search: '',
      body: undefined,
    },
    context: async () => ({}),
  });
  return {
    introspection: introspected.body.kind === 'single' && !introspected.body.singleResult.errors,
    landingPage: page.headers.get('content-type')?.startsWith('text/html') ?? false,
  };
}

describe('schemaExposureFeature', () => {
  it('on: introspection and the Sandbox landing page', async () => {
    expect(await exposure(await serverWith(true))).toEqual({
      introspection: true,
      landingPage: true,
    });
  });

  it('off: neither', async () => {
    expect(await exposure(await serverWith(false))).toEqual({
      introspection: false,
      landingPage: false,
    });
  });
});
