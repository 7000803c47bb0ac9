import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, createEventBus } from '@microshop/events';
import { createLogger } from '@microshop/runtime';
import { createProduct, signUpUser, type SignedUpUser } from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The gateway's request log and /metrics on the whole stack: one JSON line per GraphQL request
 * (request id, operation, outcome, duration, per-subgraph timings) and the Prometheus series the
 * same requests move, refusals before Apollo Server included.
 */

interface RequestLine {
  msg: string;
  requestId: string;
  operationName: string | null;
  outcome: string;
  status: number;
  durationMs: number;
  subgraphs: { name: string; durationMs: number; outcome: string }[];
  sharedExecutionOf?: string;
}

const lines: string[] = [];
const silent = createLogger('observability-test', { logLevel: 'silent' });
let stack: Stack;
let customer: SignedUpUser;
let origin: string;

beforeAll(async () => {
  stack = await startStack({
    gatewayLogger: createLogger(
      'gateway',
      { logLevel: 'info' },
      { write: (line) => lines.push(line) },
    ),
  });
  origin = new URL(stack.gatewayUrl).origin;
  customer = await signUpUser(stack);
});

afterAll(async () => {
  await stack?.close();
});

/** The request-log line of one request. */
function requestLine(requestId: string): Promise<RequestLine> {
  return eventually(async () =>
    lines
      .map((text) => JSON.parse(text) as RequestLine)
      .find((entry) => entry.msg === 'graphql request' && entry.requestId === requestId),
  );
}

/** A metric's samples whose labels include `labels`, from the Prometheus text format. */
async function metricSamples(
  name: string,
  labels: Record<string, string>,
): Promise<{ labels: Record<string, string>; value: number }[]> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const sampleLabels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value))
      samples.push({ labels: sampleLabels, value: Number(match[3]) });
  }
  return samples;
}

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const samples = await metricSamples(name, labels);
  return samples.reduce((sum, sample) => sum + sample.value, 0);
}

/** Polls `probe` until it returns a value (the request log and the feed trail the response). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function post(body: unknown, authorization?: string): Promise<Response> {
  return fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify(body),
  });
}

const STOREFRONT = /* GraphQL */ `
  query Storefront {
    me {
      name
      cart {
        totalQuantity
      }
      orders {
        totalCount
      }
    }
  }
`;

const SUBGRAPHS = ['users', 'cart', 'orders'];

describe('gateway observability', () => {
  it('logs and counts a named query across three subgraphs, with its subgraph timings', async () => {
    const subgraphCallsBefore = await Promise.all(
      SUBGRAPHS.map((subgraph) =>
        metric('gateway_subgraph_request_duration_seconds_count', { subgraph, outcome: 'ok' }),
      ),
    );

    const response = await post({ query: STOREFRONT }, `Bearer ${customer.accessToken}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: {
        me: { name: 'Test Customer', cart: { totalQuantity: 0 }, orders: { totalCount: 0 } },
      },
    });
    const requestId = response.headers.get('x-request-id') ?? '';

    const line = await requestLine(requestId);
    expect(line).toMatchObject({ operationName: 'Storefront', outcome: 'ok', status: 200 });
    expect(line.durationMs).toBeGreaterThan(0);
    expect(new Set(line.subgraphs.map((call) => call.name))).toEqual(new Set(SUBGRAPHS));
    for (const call of line.subgraphs) {
      expect(call.outcome).toBe('ok');
      expect(call.durationMs).toBeGreaterThan(0);
      // Subgraph calls happen within the request.
      expect(call.durationMs).toBeLessThanOrEqual(line.durationMs);
    }

    expect(
      await metric('gateway_http_requests_total', {
        operation: 'Storefront',
        outcome: 'ok',
        status: '200',
      }),
    ).toBe(1);
    expect(
      await metric('gateway_http_request_duration_seconds_count', {
        operation: 'Storefront',
        outcome: 'ok',
      }),
    ).toBe(1);
    const subgraphCallsAfter = await Promise.all(
      SUBGRAPHS.map((subgraph) =>
        metric('gateway_subgraph_request_duration_seconds_count', { subgraph, outcome: 'ok' }),
      ),
    );
    SUBGRAPHS.forEach((subgraph, index) => {
      expect(subgraphCallsAfter[index]! - subgraphCallsBefore[index]!, `calls to ${subgraph}`).toBe(
        line.subgraphs.filter((call) => call.name === subgraph).length,
      );
    });
  });

  it('runs identical queries in flight once, and each follower names the request it shared', async () => {
    const { accessToken } = await signInAdmin(stack);
    await createProduct(stack, accessToken);
    const products = { query: 'query Shelf { products(first: 1) { edges { node { id name } } } }' };
    // Signed in: an anonymous shelf would be answered by the response cache once it is known.
    const authorization = `Bearer ${accessToken}`;
    const catalogCallsBefore = await metric('gateway_subgraph_request_duration_seconds_count', {
      subgraph: 'catalog',
    });

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post(products, authorization)),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(
      (bodies[0] as { data: { products: { edges: unknown[] } } }).data.products.edges,
    ).toHaveLength(1);

    const requestLines = await Promise.all(
      responses.map((response) => requestLine(response.headers.get('x-request-id') ?? '')),
    );
    const leaders = requestLines.filter((line) => line.sharedExecutionOf === undefined);
    const followers = requestLines.filter((line) => line.sharedExecutionOf !== undefined);
    // Twenty requests sent at once overlap: some of them shared an execution.
    expect(followers.length).toBeGreaterThan(0);
    const leaderIds = new Set(leaders.map((line) => line.requestId));
    for (const line of leaders)
      expect(line.subgraphs.map((call) => call.name)).toEqual(['catalog']);
    for (const line of followers) {
      expect(leaderIds.has(line.sharedExecutionOf ?? '')).toBe(true);
      expect(line).toMatchObject({ operationName: 'Shelf', outcome: 'ok', subgraphs: [] });
    }
    expect(
      (await metric('gateway_subgraph_request_duration_seconds_count', { subgraph: 'catalog' })) -
        catalogCallsBefore,
    ).toBe(leaders.length);
  });

  it('logs and counts a token refused before Apollo Server as refused, with no subgraph call', async () => {
    const labels = { operation: '__anonymous__', outcome: 'refused', status: '401' };
    const before = await metric('gateway_http_requests_total', labels);

    const response = await post({ query: STOREFRONT }, 'Bearer not-a-token');
    expect(response.status).toBe(401);
    const line = await requestLine(response.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({
      operationName: null,
      outcome: 'refused',
      status: 401,
      subgraphs: [],
    });

    expect(await metric('gateway_http_requests_total', labels)).toBe(before + 1);
  });

  it('logs and counts a body too large for the gateway as refused', async () => {
    const labels = { operation: '__anonymous__', outcome: 'refused', status: '413' };
    const before = await metric('gateway_http_requests_total', labels);

    // Larger than any body limit the gateway could be given.
    const response = await post({ query: `{ __typename }${' '.repeat(20 * 1024 * 1024)}` });
    expect(response.status).toBe(413);
    const line = await requestLine(response.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({ operationName: null, outcome: 'refused', status: 413 });

    expect(await metric('gateway_http_requests_total', labels)).toBe(before + 1);
  });

  it('tells an executed request with errors from a clean one', async () => {
    const response = await post({
      query: 'query AnonymousOrder { order(id: "00000000-0000-0000-0000-000000000000") { id } }',
    });
    expect(response.status).toBe(200);
    const line = await requestLine(response.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({
      operationName: 'AnonymousOrder',
      outcome: 'graphql_error',
      status: 200,
    });
    expect(
      await metric('gateway_http_requests_total', {
        operation: 'AnonymousOrder',
        outcome: 'graphql_error',
      }),
    ).toBe(1);
  });

  it('reports the lag of its live-field feed once it has consumed a status change', async () => {
    const bus = await createEventBus(stack.config, { db: stack.db.prisma, logger: silent });
    try {
      const orderId = randomUUID();
      await bus.publish([
        createEvent('OrderStatusChanged', orderId, {
          orderId,
          userId: customer.id,
          from: 'PENDING',
          to: 'CONFIRMED',
          reason: 'observability test',
        }),
      ]);
    } finally {
      await bus.close();
    }
    const feedLag = await eventually(async () => {
      const samples = await metricSamples('gateway_event_consumer_lag', {
        consumer: 'live-field-feed',
        topic: 'orders',
      });
      return samples.length > 0 && samples.every((sample) => sample.value === 0)
        ? samples
        : undefined;
    });
    expect(feedLag.length).toBeGreaterThan(0);
  });
});
