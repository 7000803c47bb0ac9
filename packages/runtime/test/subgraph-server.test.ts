import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unauthenticated, type TokenVerifier } from '@microshop/auth';
import { createLogger, startSubgraphServer, type RunningServer } from '../src/index.ts';

const typeDefs = parse(`
  type Query {
    whoami: String
    boom: String
  }
`);

// A verifier with a fixed rule: the server's job under test is calling it and mapping its errors.
const verifier: TokenVerifier = {
  async verify(token) {
    if (token === 'good') return { userId: 'u1', role: 'CUSTOMER' };
    throw unauthenticated('Invalid token');
  },
};

/** The server's log lines at error level, as JSON. */
const errorLines: { msg?: string }[] = [];

let server: RunningServer;
beforeAll(async () => {
  server = await startSubgraphServer(
    {
      name: 'probe',
      typeDefs,
      resolvers: {
        Query: {
          whoami: (_: unknown, __: unknown, ctx: { principal: { userId: string } | null }) =>
            ctx.principal?.userId ?? null,
          boom: () => {
            throw new Error('connect ECONNREFUSED 10.0.0.7:5432 SELECT * FROM secrets');
          },
        },
      },
      verifier,
      logger: createLogger(
        'probe',
        { logLevel: 'error' },
        { write: (line: string) => void errorLines.push(JSON.parse(line) as { msg?: string }) },
      ),
      showInternalErrors: false,
      context: (base) => base,
      maxBodyBytes: 1024,
    },
    { port: 0, host: '127.0.0.1' },
  );
});
afterAll(() => server.close());

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as any,
  };
}

describe('subgraph server', () => {
  it('passes the verified principal to resolvers', async () => {
    const { json } = await post(JSON.stringify({ query: '{ whoami }' }), {
      authorization: 'Bearer good',
    });
    expect(json.data.whoami).toBe('u1');
  });

  it('answers an invalid token with 401 UNAUTHENTICATED', async () => {
    const { status, json } = await post(JSON.stringify({ query: '{ whoami }' }), {
      authorization: 'Bearer forged',
    });
    expect(status).toBe(401);
    expect(json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('masks internal errors and tags them with the caller’s request id', async () => {
    const { json, headers } = await post(JSON.stringify({ query: '{ boom }' }), {
      'x-request-id': 'req-123',
    });
    expect(headers.get('x-request-id')).toBe('req-123');
    expect(json.errors[0].message).toBe('Internal server error');
    expect(json.errors[0].extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      requestId: 'req-123',
    });
    expect(JSON.stringify(json)).not.toMatch(/ECONNREFUSED|SELECT|stack/);
  });

  it('refuses an oversized body with 413 and malformed JSON with 400, with the request id', async () => {
    const big = await post(JSON.stringify({ query: `{ whoami } #${'x'.repeat(2048)}` }), {
      'x-request-id': 'req-big',
    });
    expect(big.status).toBe(413);
    expect(big.json.errors[0].extensions).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      requestId: 'req-big',
    });
    const malformed = await post('{"query": ', { 'x-request-id': 'req-malformed' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0].extensions).toEqual({
      code: 'BAD_REQUEST',
      requestId: 'req-malformed',
    });
  });

  it('serves liveness and readiness', async () => {
    const live = await fetch(server.url.replace('/graphql', '/health/live'));
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok', service: 'probe' });
  });

  it('logs a failing resolver as an error, but not a request Apollo refuses with a 4xx', async () => {
    errorLines.length = 0;
    await post(JSON.stringify({ query: '{ boom }' }));
    expect(errorLines.map((line) => line.msg)).toEqual(['resolver failed']);

    errorLines.length = 0;
    const { status, json } = await post(
      JSON.stringify({
        query: '{ whoami }',
        extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
      }),
    );
    expect(status).toBe(400);
    expect(json.errors[0].message).toBe('provided sha does not match query');
    expect(errorLines).toEqual([]);
  });
});
