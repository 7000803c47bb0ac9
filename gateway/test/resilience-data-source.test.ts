import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { loadConfig } from '@microshop/config';
import { createLogger, type RequestContext } from '@microshop/runtime';
import { InFlightByCaller } from '../src/in-flight.ts';
import {
  SubgraphDataSource,
  type InFlightSubgraphCalls,
  type SubgraphCall,
  type SubgraphDataSourceOptions,
} from '../src/subgraph-data-source.ts';

/**
 * The data source's HTTP handling against a node:http server that answers whatever the test
 * scripts next: what it forwards, and which answers count against the circuit.
 */

let server: Server;
let url: string;
let nextAnswer: { status: number; body: string } = { status: 200, body: '{"data":{}}' };
/** While set, the server holds every answer until it resolves (to have calls in flight at once). */
let holdAnswers: Promise<void> | undefined;
/** While set, the server holds its answers to queries (not to mutations) until it resolves. */
let holdQueries: Promise<void> | undefined;
let received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    received.push({ headers: req.headers, body });
    await holdAnswers;
    if (!body.includes('"query":"mutation')) await holdQueries;
    res.writeHead(nextAnswer.status, { 'content-type': 'application/json' });
    res.end(nextAnswer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const logger = createLogger('gateway', { ...loadConfig({}), logLevel: 'silent' });
const context = {
  requestId: 'req-1',
  authorization: 'Bearer a.b.c',
  clientAddress: '203.0.113.9',
} as Partial<RequestContext> as RequestContext;

function dataSource(overrides: Partial<SubgraphDataSourceOptions> = {}) {
  const calls: SubgraphCall[] = [];
  const source = new SubgraphDataSource({
    name: 'catalog',
    url,
    timeoutMs: 5_000,
    maxConnections: 4,
    deduplicateQueries: true,
    circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
    logger,
    onCall: (call) => calls.push(call),
    ...overrides,
  });
  const call = (query = '{ products { id } }', callerContext: Partial<RequestContext> = context) =>
    source.process({
      request: { query, variables: { first: 1 }, operationName: 'P' },
      context: callerContext,
    } as unknown as GraphQLDataSourceProcessOptions<RequestContext>);
  return { source, calls, call };
}

describe('SubgraphDataSource', () => {
  it('forwards the caller headers and the request, and returns the subgraph body as it is', async () => {
    received = [];
    nextAnswer = { status: 200, body: '{"data":{"products":[{"id":"p1"}]}}' };
    const { source, calls, call } = dataSource();
    await expect(call()).resolves.toEqual({ data: { products: [{ id: 'p1' }] } });
    expect(received[0]?.headers).toMatchObject({
      authorization: 'Bearer a.b.c',
      'x-request-id': 'req-1',
      'x-forwarded-for': '203.0.113.9',
      'content-type': 'application/json',
    });
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({
      query: '{ products { id } }',
      operationName: 'P',
      variables: { first: 1 },
    });
    expect(calls).toMatchObject([{ subgraph: 'catalog', outcome: 'ok', context }]);
    await source.close();
  });

  it("keeps a subgraph's own 4xx error, and a 4xx does not count against the circuit", async () => {
    nextAnswer = {
      status: 401,
      body: '{"errors":[{"message":"Token expired","extensions":{"code":"UNAUTHENTICATED"}}]}',
    };
    const { source, calls, call } = dataSource();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(call()).rejects.toMatchObject({
        message: 'Token expired',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    expect(calls.map((call) => call.outcome)).toEqual(['error', 'error', 'error']);
    await source.close();
  });

  it('answers a bare 5xx with SERVICE_UNAVAILABLE and opens the circuit after the threshold', async () => {
    received = [];
    nextAnswer = { status: 502, body: '<html>Bad gateway from 10.0.0.7</html>' };
    const { source, calls, call } = dataSource();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        message: 'The catalog service is unavailable; try again shortly.',
        extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'catalog' },
      });
    }
    // Two failures opened it: the third call never reached the subgraph.
    expect(received).toHaveLength(2);
    expect(calls.map((call) => call.outcome)).toEqual(['error', 'error', 'circuit_open']);
    await source.close();
  });

  it('answers a refused connection with SERVICE_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { source, calls, call } = dataSource({ url: `http://127.0.0.1:${port}/graphql` });
    await expect(call()).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'catalog' },
    });
    expect(calls.map((call) => call.outcome)).toEqual(['error']);
    await source.close();
  });

  describe('with identical queries in flight at once', () => {
    async function concurrently<T>(calls: (() => Promise<T>)[]): Promise<T[]> {
      let release!: () => void;
      holdAnswers = new Promise((resolve) => (release = resolve));
      const pending = calls.map((call) => call());
      // Every call is on the wire (or waiting for one that is) before any answer comes back.
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      holdAnswers = undefined;
      return Promise.all(pending);
    }

    it('sends one query for the same caller and body, and gives each caller its own copy', async () => {
      received = [];
      nextAnswer = { status: 200, body: '{"data":{"products":[{"id":"p1"}]}}' };
      const { source, calls, call } = dataSource();
      const results = await concurrently(Array.from({ length: 5 }, () => () => call()));
      expect(received).toHaveLength(1);
      for (const result of results) expect(result).toEqual({ data: { products: [{ id: 'p1' }] } });
      // The executor merges into what it gets: no two callers may share an object.
      expect(new Set(results.map((result) => result.data)).size).toBe(5);
      expect(calls.map((recorded) => recorded.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      await source.close();
    });

    it('never shares between callers with different tokens, nor a mutation', async () => {
      received = [];
      nextAnswer = { status: 200, body: '{"data":{}}' };
      const { source, call } = dataSource();
      const otherCaller = { ...context, authorization: 'Bearer x.y.z' };
      const mutation = 'mutation { addToCart(productId: "p1", quantity: 1) { __typename } }';
      await concurrently([
        () => call(),
        () => call(undefined, otherCaller),
        () => call(mutation),
        () => call(mutation),
      ]);
      expect(received).toHaveLength(4);
      await source.close();
    });

    it("sends a caller's query again once a mutation of theirs, to any subgraph, was answered (read your writes)", async () => {
      received = [];
      nextAnswer = { status: 200, body: '{"data":{}}' };
      // The gateway's data sources share one registry of calls in flight.
      const inFlight: InFlightSubgraphCalls = new InFlightByCaller();
      const { source, call } = dataSource({ inFlight });
      const cart = dataSource({ name: 'cart', inFlight });
      let release!: () => void;
      holdQueries = new Promise((resolve) => (release = resolve));
      const before = call();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await cart.call('mutation { addToCart(productId: "p1", quantity: 1) { __typename } }');
      const after = call();
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      holdQueries = undefined;
      await Promise.all([before, after]);
      expect(
        received.map((request) => (JSON.parse(request.body) as { query: string }).query),
      ).toEqual([
        '{ products { id } }',
        'mutation { addToCart(productId: "p1", quantity: 1) { __typename } }',
        '{ products { id } }',
      ]);
      await Promise.all([source.close(), cart.source.close()]);
    });

    it('sends a fresh read (a live field push) on its own; later identical queries join it', async () => {
      received = [];
      nextAnswer = { status: 200, body: '{"data":{}}' };
      const { source, call } = dataSource();
      await concurrently([() => call(), () => call(undefined, { ...context, freshRead: true })]);
      expect(received).toHaveLength(2);
      received = [];
      await concurrently([() => call(undefined, { ...context, freshRead: true }), () => call()]);
      expect(received).toHaveLength(1);
      await source.close();
    });

    it('sends every query when deduplication is off', async () => {
      received = [];
      nextAnswer = { status: 200, body: '{"data":{}}' };
      const { source, call } = dataSource({ deduplicateQueries: false });
      await concurrently([() => call(), () => call(), () => call()]);
      expect(received).toHaveLength(3);
      await source.close();
    });
  });
});
