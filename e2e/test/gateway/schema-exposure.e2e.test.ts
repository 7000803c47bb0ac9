import { getIntrospectionQuery } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@microshop/e2e';

/**
 * What the gateway shows of its schema: introspection and the Sandbox landing page are on outside
 * production, off in production, and on again in production with INTROSPECTION=true.
 */

let stack: Stack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** What a browser gets on GET /graphql: the landing page when there is one. */
async function landingPage(url: string) {
  const response = await fetch(url, { headers: { accept: 'text/html' } });
  return { status: response.status, body: await response.text() };
}

async function introspect(url: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: { __schema: { queryType: { name: string } } };
      errors?: { extensions?: { code?: string } }[];
    },
  };
}

describe('schema exposure', () => {
  it('offers Sandbox and introspection outside production', async () => {
    stack = await startStack({ overrides: { NODE_ENV: 'development' } });
    const page = await landingPage(stack.gatewayUrl);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
    expect(page.body).toMatch(/sandbox/i);
    const introspection = await introspect(stack.gatewayUrl);
    expect(introspection.body.data?.__schema.queryType.name).toBe('Query');
  });

  it('offers neither in production', async () => {
    stack = await startStack({ overrides: { NODE_ENV: 'production' } });
    const page = await landingPage(stack.gatewayUrl);
    expect(page.body).not.toMatch(/<html/i);
    const introspection = await introspect(stack.gatewayUrl);
    expect(introspection.status).toBe(400);
    expect(introspection.body.data).toBeUndefined();
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('offers both in production when INTROSPECTION=true', async () => {
    stack = await startStack({ overrides: { NODE_ENV: 'production', INTROSPECTION: 'true' } });
    const page = await landingPage(stack.gatewayUrl);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/sandbox/i);
    const introspection = await introspect(stack.gatewayUrl);
    expect(introspection.body.data?.__schema.queryType.name).toBe('Query');
  });
});
