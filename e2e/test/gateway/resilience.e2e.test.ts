import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig, type Config } from '@microshop/config';
import { createLogger, type RunningServer } from '@microshop/runtime';
import {
  addToCart,
  createProduct,
  graphql,
  placeOrder,
  signUpUser,
  waitForOrderStatus,
  type GraphQLResponse,
  type SignedUpUser,
} from '@microshop/testing';
import { gatewayProcessEnvironment, signInAdmin, startStack, type Stack } from '@microshop/e2e';
import { startGateway, type SubgraphCall } from '@microshop/gateway';

/**
 * The gateway when a subgraph fails: a subgraph stopped mid-test (partial data with
 * SERVICE_UNAVAILABLE, the rest of the graph unaffected, recovery once it is back on its port), a
 * subgraph that never answers (a timeout, then an open circuit that no longer calls it), and a
 * gateway closed while a request and a subscription are in flight.
 */

const FAILURE_THRESHOLD = 2;
const COOLDOWN_MS = 1_000;

let stack: Stack;
let customer: SignedUpUser;
let orderId: string;
let productId: string;

const WITH_PAYMENT =
  'query WithPayment($id: ID!) { order(id: $id) { id status payment { status } } }';
const WITHOUT_PAYMENT = 'query WithoutPayment($id: ID!) { me { email } product(id: $id) { name } }';

interface WithPayment {
  order: { id: string; status: string; payment: { status: string } | null } | null;
}

const withPayment = (url = stack.gatewayUrl) =>
  graphql<WithPayment>(url, WITH_PAYMENT, { id: orderId }, customer.accessToken);
const withoutPayment = (url = stack.gatewayUrl) =>
  graphql(url, WITHOUT_PAYMENT, { id: productId }, customer.accessToken);

beforeAll(async () => {
  stack = await startStack({
    overrides: {
      CIRCUIT_BREAKER_THRESHOLD: String(FAILURE_THRESHOLD),
      CIRCUIT_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
    },
  });
  const admin = await signInAdmin(stack);
  productId = await createProduct(stack, admin.accessToken, { name: 'Resilient kettle' });

  customer = await signUpUser(stack);
  await addToCart(stack, customer.accessToken, productId);
  orderId = await placeOrder(stack, customer.accessToken);
  // The saga settles before any subgraph is disturbed: CONFIRMED, with its payment.
  await waitForOrderStatus(stack, orderId, customer.accessToken, 'CONFIRMED', 30_000);
});

afterAll(async () => {
  await stack?.close();
});

/** Where the subgraphs live: none of it may reach a client. */
function internals(): string[] {
  return [
    ...Object.values(stack.config.subgraphUrls).flatMap((url) => [url, new URL(url).host]),
    '127.0.0.1',
    'localhost',
    'ECONNREFUSED',
    'http://',
    '    at ',
  ];
}

function expectPaymentsUnavailable(response: GraphQLResponse<WithPayment>): void {
  expect(response.status).toBe(200);
  // Everything the orders subgraph owns is there; only the payment is missing.
  expect(response.data).toEqual({ order: { id: orderId, status: 'CONFIRMED', payment: null } });
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]).toMatchObject({
    message: expect.stringContaining('payments'),
    // The part of the answer the payments fetch would have filled.
    path: ['order'],
    extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'payments' },
  });
  const leaked = JSON.stringify(response.errors);
  for (const internal of internals()) expect(leaked).not.toContain(internal);
  expect(response.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
}

async function metricsOf(gatewayUrl: string): Promise<string> {
  return (await fetch(new URL('/metrics', gatewayUrl))).text();
}

async function circuitState(gatewayUrl: string, subgraph: string): Promise<number> {
  const match = new RegExp(
    `^gateway_subgraph_circuit_state\\{subgraph="${subgraph}"\\} (\\d+)$`,
    'm',
  ).exec(await metricsOf(gatewayUrl));
  return Number(match?.[1] ?? Number.NaN);
}

/** A second gateway over the stack's subgraphs, with its own configuration on top. */
function gatewayConfig(overrides: NodeJS.ProcessEnv): Config {
  return loadConfig(
    gatewayProcessEnvironment(stack, 0, {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...overrides,
    }),
  );
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

describe('a subgraph that goes down', () => {
  it('costs the fields it owns, not the query; the rest of the graph is unaffected; it recovers', async () => {
    const before = await withPayment();
    expect(before.errors).toBeUndefined();
    expect(before.data?.order?.payment?.status).toEqual(expect.any(String));
    const unrelatedBefore = await withoutPayment();
    expect(unrelatedBefore.errors).toBeUndefined();
    expect(unrelatedBefore.data).toEqual({
      me: { email: customer.email },
      product: { name: 'Resilient kettle' },
    });
    expect(await circuitState(stack.gatewayUrl, 'payments')).toBe(0);

    await stack.stopSubgraph('payments');
    // Refused connections up to the threshold, then the open circuit: the same answer either way.
    for (let call = 0; call < FAILURE_THRESHOLD + 2; call += 1) {
      expectPaymentsUnavailable(await withPayment());
    }
    expect(await circuitState(stack.gatewayUrl, 'payments')).toBe(2);
    expect(await withoutPayment()).toEqual(unrelatedBefore);

    await stack.restartSubgraph('payments');
    // After the cool-down one probe goes through, succeeds and closes the circuit.
    await expect
      .poll(async () => (await withPayment()).data?.order?.payment ?? null, {
        timeout: 20_000,
        interval: 200,
      })
      .toEqual(before.data?.order?.payment);
    expect(await withPayment()).toEqual(before);
    expect(await circuitState(stack.gatewayUrl, 'payments')).toBe(0);
    expect(await withoutPayment()).toEqual(unrelatedBefore);
  });
});

describe('a subgraph that never answers', () => {
  let hanging: Server;
  let gateway: RunningServer | undefined;
  let received = 0;
  const calls: SubgraphCall[] = [];
  const TIMEOUT_MS = 300;

  beforeAll(async () => {
    // Accepts every request and answers none.
    hanging = createServer(() => {
      received += 1;
    });
    const hangingUrl = await listen(hanging);
    // Production: the same answer, nothing internal in it, as outside production.
    const config = gatewayConfig({
      NODE_ENV: 'production',
      PAYMENTS_URL: hangingUrl,
      PAYMENTS_TIMEOUT_MS: String(TIMEOUT_MS),
      CIRCUIT_BREAKER_THRESHOLD: '2',
      CIRCUIT_BREAKER_COOLDOWN_MS: '600000',
    });
    expect(config.resilience.subgraphTimeoutMs).toMatchObject({ payments: 300, orders: 10_000 });
    gateway = await startGateway(config, createLogger('gateway', config), {
      onSubgraphCall: (call) => calls.push(call),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    if (hanging) await closeServer(hanging);
  });

  it('times out into SERVICE_UNAVAILABLE, then stops calling it while the circuit is open', async () => {
    const url = gateway!.url;
    for (let call = 1; call <= 2; call += 1) {
      const startedAt = performance.now();
      expectPaymentsUnavailable(await withPayment(url));
      // A generous bound that only guards against hanging: the subgraph itself never answers.
      expect(performance.now() - startedAt).toBeLessThan(5_000);
      expect(received).toBe(call);
    }
    const payments = calls.filter((call) => call.subgraph === 'payments');
    expect(payments.map((call) => call.outcome)).toEqual(['timeout', 'timeout']);
    for (const call of payments) {
      expect(call.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
      expect(call.context.requestId).toEqual(expect.any(String));
    }
    expect(calls.filter((call) => call.subgraph === 'orders').map((call) => call.outcome)).toEqual([
      'ok',
      'ok',
    ]);

    // Open: refused at the gateway, the hanging subgraph never sees the call.
    expectPaymentsUnavailable(await withPayment(url));
    expect(received).toBe(2);
    expect(calls.filter((call) => call.subgraph === 'payments').at(-1)).toMatchObject({
      outcome: 'circuit_open',
      durationMs: 0,
    });
    expect(await circuitState(url, 'payments')).toBe(2);
    expect(await withoutPayment(url)).toEqual(await withoutPayment());
  });
});

describe('closing the gateway', () => {
  /** In front of the real payments subgraph: holds every request `delayMs` before forwarding it. */
  function slowPayments(delayMs: number) {
    let forwarded: () => void = () => undefined;
    const firstRequest = new Promise<void>((resolve) => (forwarded = resolve));
    const server = createServer(async (req, res) => {
      const body = await readBody(req);
      forwarded();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const upstream = await fetch(stack.config.subgraphUrls.payments, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        },
        body,
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    });
    return { server, firstRequest };
  }

  /** A graphql-ws client speaking the protocol by hand, to see exactly what the server sends. */
  async function subscribeRaw(gatewayUrl: string) {
    const socket = new WebSocket(gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: { id?: string; type: string }[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    const acknowledged = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: string; type: string };
        messages.push(message);
        if (message.type === 'connection_ack') resolve();
      }),
    );
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${customer.accessToken}` },
      }),
    );
    await acknowledged;
    socket.send(
      JSON.stringify({
        id: 'watch-1',
        type: 'subscribe',
        payload: {
          query:
            'subscription Watch($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status } }',
          variables: { orderId },
        },
      }),
    );
    return { messages, closed };
  }

  it('finishes in-flight requests, refuses new connections and ends subscriptions cleanly', async () => {
    const slow = slowPayments(1_000);
    const slowUrl = await listen(slow.server);
    const config = gatewayConfig({ PAYMENTS_URL: slowUrl, GATEWAY_DRAIN_TIMEOUT_MS: '15000' });
    const gateway = await startGateway(config, createLogger('gateway', config));
    const { port } = gateway;
    try {
      const subscription = await subscribeRaw(gateway.url);
      // The first push (the order as it is) says the subscription is in place.
      await expect
        .poll(() => subscription.messages.some((message) => message.type === 'next'), {
          timeout: 10_000,
          interval: 50,
        })
        .toBe(true);
      expect(/^gateway_active_subscriptions (\d+)$/m.exec(await metricsOf(gateway.url))?.[1]).toBe(
        '1',
      );

      // A readiness request whose headers are still arriving when the close begins.
      const probe: Socket = connectTcp(port, '127.0.0.1');
      await new Promise((resolve) => probe.once('connect', resolve));
      let probeAnswer = '';
      probe.on('data', (chunk) => (probeAnswer += String(chunk)));
      const probeEnded = new Promise((resolve) => probe.once('close', resolve));
      probe.write('GET /health/ready HTTP/1.1\r\nHost: gateway\r\n');

      const inFlight = withPayment(gateway.url);
      await slow.firstRequest;
      const closing = gateway.close();

      const refused = await new Promise<string>((resolve) => {
        const socket = connectTcp(port, '127.0.0.1');
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
      });
      expect(refused).toBe('ECONNREFUSED');

      probe.write('\r\n');
      await probeEnded;
      expect(probeAnswer).toMatch(/^HTTP\/1\.1 503 /);
      expect(probeAnswer.toLowerCase()).toContain('connection: close');
      expect(probeAnswer).toContain('"status":"draining"');

      // The slow request, started before the close, gets its whole answer.
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.errors).toBeUndefined();
      expect(answered.data?.order?.payment?.status).toEqual(expect.any(String));

      // The subscription is completed, then the socket closed as "going away".
      expect(await subscription.closed).toEqual({ code: 1001, reason: 'Going away' });
      expect(subscription.messages).toEqual([
        { type: 'connection_ack' },
        {
          id: 'watch-1',
          type: 'next',
          payload: { data: { orderStatusChanged: { status: expect.any(String) } } },
        },
        { id: 'watch-1', type: 'complete' },
      ]);
      await closing;
    } finally {
      await gateway.close();
      await closeServer(slow.server);
    }
  });
});
