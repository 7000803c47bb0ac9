import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySubgraph, SubgraphUnreachableError } from '../src/index.ts';

/**
 * querySubgraph against a real HTTP server whose answer each test chooses: what it sends on the
 * caller's behalf, and how answers and failures come back.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

let server: Server;
let url: string;
let received: Received[] = [];
let answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '{}' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = { query: 'query Q($id: ID!) { node(id: $id) { id } }', variables: { id: '1' } };

describe('querySubgraph', () => {
  it("sends the query with the caller's token and request id, and returns the answer", async () => {
    received = [];
    answer = { status: 200, body: '{"data":{"node":{"id":"1"}}}' };
    const result = await querySubgraph(
      url,
      request,
      { authorization: 'Bearer abc', requestId: 'req-1' },
      1_000,
    );
    expect(result).toEqual({ status: 200, data: { node: { id: '1' } }, errors: undefined });
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toEqual(request);
    expect(received[0]?.headers).toMatchObject({
      authorization: 'Bearer abc',
      'x-request-id': 'req-1',
      'content-type': 'application/json',
    });
  });

  it('sends no Authorization header for an anonymous caller', async () => {
    received = [];
    answer = { status: 200, body: '{"data":null}' };
    await querySubgraph(url, request, { requestId: 'req-2' }, 1_000);
    expect(received[0]?.headers.authorization).toBeUndefined();
  });

  it('returns an error answer with its status for the caller to interpret', async () => {
    answer = {
      status: 401,
      body: '{"errors":[{"message":"Sign in","extensions":{"code":"UNAUTHENTICATED"}}]}',
    };
    expect(await querySubgraph(url, request, { requestId: 'req-3' }, 1_000)).toEqual({
      status: 401,
      data: undefined,
      errors: [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('is unreachable when the body is not JSON, the answer is too slow, or nobody listens', async () => {
    answer = { status: 502, body: '<html>Bad gateway</html>' };
    await expect(querySubgraph(url, request, { requestId: 'r' }, 1_000)).rejects.toBeInstanceOf(
      SubgraphUnreachableError,
    );

    answer = { status: 200, body: '{"data":{}}', delayMs: 500 };
    await expect(querySubgraph(url, request, { requestId: 'r' }, 50)).rejects.toBeInstanceOf(
      SubgraphUnreachableError,
    );

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      querySubgraph(`http://127.0.0.1:${port}/graphql`, request, { requestId: 'r' }, 1_000),
    ).rejects.toBeInstanceOf(SubgraphUnreachableError);
  });
});
