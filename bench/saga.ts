import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  addToCart,
  createProduct,
  graphql,
  placeOrder,
  signUpUser,
  type SignedUpUser,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The order saga end to end with real Kafka: `npx tsx bench/saga.ts [--latency-orders 50]
 * [--latency-concurrency 5] [--throughput-orders 200] [--throughput-concurrency 10]`.
 * Needs DATABASE_URL and KAFKA_BROKERS (and whatever else the environment names, as for e2e
 * tests). Starts the whole stack in this process (startStack: every subgraph, the orders worker,
 * the gateway), then measures
 *  1. latency: placeOrder's request start → the CONFIRMED push on the client's graphql-ws
 *     subscription (opened, as a client must, once placeOrder has returned the order id);
 *  2. throughput: many users placing orders at once, first placeOrder → last order CONFIRMED.
 * The timed part runs under `flock /tmp/microshop-bench.lock`. Writes
 * bench/results/saga-<date>.json and prints a markdown table.
 */

// `npx tsx bench/saga.ts [flags]` or `npm run bench -- saga [flags]`: the flags follow the name.
const { values: flags } = parseArgs({
  args: process.argv.slice(process.argv[2] === 'saga' ? 3 : 2),
  options: {
    'latency-orders': { type: 'string', default: '50' },
    'latency-concurrency': { type: 'string', default: '5' },
    'throughput-orders': { type: 'string', default: '200' },
    'throughput-concurrency': { type: 'string', default: '10' },
    products: { type: 'string', default: '10' },
    lock: { type: 'string', default: '/tmp/microshop-bench.lock' },
  },
});
const settings = {
  latencyOrders: Number(flags['latency-orders']),
  latencyConcurrency: Number(flags['latency-concurrency']),
  throughputOrders: Number(flags['throughput-orders']),
  throughputConcurrency: Number(flags['throughput-concurrency']),
  products: Number(flags.products),
  warmupOrders: 3,
  lock: flags.lock,
};

const FINAL = new Set(['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED']);
const STATUS = 'query Status($id: ID!) { order(id: $id) { status } }';
const WATCH =
  'subscription Watch($orderId: ID!) { orderStatusChanged(orderId: $orderId) { id status } }';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

function summary(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once. */
async function pool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Holds `flock <path>` (shared with the other benchmarks on this machine) until released. */
async function takeLock(path: string): Promise<() => void> {
  const child = spawn('flock', [path, 'sh', '-c', 'echo locked; cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`flock ${path} exited with ${code}`)));
    child.stdout.once('data', () => resolve());
  });
  return () => child.stdin.end();
}

async function call<T>(stack: Stack, token: string, query: string, variables = {}): Promise<T> {
  const response = await graphql<T>(stack.gatewayUrl, query, variables, token);
  if (response.errors?.length || !response.data) {
    throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(response.errors ?? response)}`);
  }
  return response.data;
}

async function createProducts(stack: Stack, adminToken: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < settings.products; i += 1) {
    ids.push(
      await createProduct(stack, adminToken, {
        name: `Saga bench kettle ${i + 1}`,
        description: 'Plenty in stock: the benchmark measures the saga, not stock-outs.',
        priceAmount: 2500,
        initialStock: 1_000_000,
      }),
    );
  }
  return ids;
}

/** Customers with one product in their cart each, ready to place one order. Not timed. */
async function prepareCustomers(
  stack: Stack,
  count: number,
  productIds: readonly string[],
): Promise<SignedUpUser[]> {
  const customers: SignedUpUser[] = new Array(count);
  await pool(count, 8, async (i) => {
    const customer = await signUpUser(stack, `Saga bench ${i}`);
    await addToCart(stack, customer.accessToken, productIds[i % productIds.length]!);
    customers[i] = customer;
  });
  return customers;
}

async function statusOf(stack: Stack, customer: SignedUpUser, orderId: string): Promise<string> {
  const { order } = await call<{ order: { status: string } | null }>(
    stack,
    customer.accessToken,
    STATUS,
    { id: orderId },
  );
  return order?.status ?? 'MISSING';
}

/** When each order reached its latest status, from the orders worker's history rows (wall clock). */
async function settledAt(
  stack: Stack,
  orderIds: readonly string[],
): Promise<Map<string, { status: string; at: number; placedAt: number }>> {
  const rows = await stack.db.prisma.order.findMany({
    where: { id: { in: [...orderIds] } },
    select: {
      id: true,
      status: true,
      createdAt: true,
      history: { orderBy: { sequence: 'desc' }, take: 1, select: { at: true } },
    },
  });
  return new Map(
    rows.map((row) => [
      row.id,
      {
        status: row.status,
        at: row.history[0]?.at.getTime() ?? Number.NaN,
        placedAt: row.createdAt.getTime(),
      },
    ]),
  );
}

async function waitUntilSettled(
  stack: Stack,
  orderIds: readonly string[],
  timeoutMs = 300_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const settled = await stack.db.prisma.order.count({
      where: { id: { in: [...orderIds] }, status: { not: 'PENDING' } },
    });
    if (settled === orderIds.length) return;
    if (Date.now() > deadline)
      throw new Error(`${orderIds.length - settled} orders still PENDING after ${timeoutMs} ms`);
    await sleep(50);
  }
}

type Observed = 'push' | 'fallback-first-read' | 'fallback-missed-push';
interface LatencySample {
  orderId: string;
  placeOrderMs: number;
  confirmedMs: number;
  observed: Observed;
  status: string;
  /** placeOrder's request start (wall clock, ms), to compare with the database's timestamps. */
  startedAtWall: number;
}

/**
 * One order as a subscribed client sees it: place it, subscribe to its status at once (the first
 * push is the order as it is then, the next ones its changes), and read order(id) beside it. The
 * first push of a final status is the measurement; if the read says CONFIRMED before any push
 * did, the read's completion is the (polled) measurement; if no push comes although a slow poll
 * sees CONFIRMED (a subscription that failed), the poll is the measurement.
 */
async function observedOrder(
  stack: Stack,
  client: Client,
  customer: SignedUpUser,
): Promise<LatencySample> {
  const startedAtWall = Date.now();
  const start = performance.now();
  const orderId = await placeOrder(stack, customer.accessToken);
  const placeOrderMs = performance.now() - start;
  let pushed: { at: number; status: string } | undefined;
  let wake: () => void = () => undefined;
  const unsubscribe = client.subscribe<{ orderStatusChanged: { status: string } }>(
    { query: WATCH, variables: { orderId } },
    {
      next: (result) => {
        const status = result.data?.orderStatusChanged.status;
        if (status && FINAL.has(status) && !pushed) {
          pushed = { at: performance.now(), status };
          wake();
        }
      },
      error: (error) => log(`subscription ${orderId}: ${JSON.stringify(error)}`),
      complete: () => undefined,
    },
  );
  try {
    const first = await statusOf(stack, customer, orderId);
    const firstAt = performance.now();
    if (!pushed && FINAL.has(first)) {
      return {
        orderId,
        placeOrderMs,
        confirmedMs: firstAt - start,
        observed: 'fallback-first-read',
        status: first,
        startedAtWall,
      };
    }
    const deadline = performance.now() + 120_000;
    let polledFinal: { at: number; status: string } | undefined;
    while (!pushed) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1_000);
      });
      if (pushed) break;
      if (!polledFinal) {
        const status = await statusOf(stack, customer, orderId);
        if (FINAL.has(status)) polledFinal = { at: performance.now(), status };
      } else if (performance.now() - polledFinal.at > 3_000) {
        return {
          orderId,
          placeOrderMs,
          confirmedMs: polledFinal.at - start,
          observed: 'fallback-missed-push',
          status: polledFinal.status,
          startedAtWall,
        };
      }
      if (performance.now() > deadline) throw new Error(`order ${orderId}: no final status`);
    }
    const final = pushed as { at: number; status: string };
    return {
      orderId,
      placeOrderMs,
      confirmedMs: final.at - start,
      observed: 'push',
      status: final.status,
      startedAtWall,
    };
  } finally {
    unsubscribe();
  }
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL || !process.env.KAFKA_BROKERS) {
    log('bench/saga.ts needs DATABASE_URL and KAFKA_BROKERS (eval "$(bash scripts/infra/up)")');
    process.exit(64);
  }
  log('starting the stack (every subgraph, the orders worker, the gateway) with Kafka...');
  const stack = await startStack();
  const clients: Client[] = [];
  try {
    if (stack.config.eventBus.kind !== 'kafka') throw new Error('the stack is not on Kafka');
    const { accessToken: adminToken } = await signInAdmin(stack);
    const productIds = await createProducts(stack, adminToken);
    const total = settings.warmupOrders + settings.latencyOrders + settings.throughputOrders;
    log(`preparing ${total} customers with a cart (not timed)...`);
    const customers = await prepareCustomers(stack, total, productIds);
    const warmup = customers.slice(0, settings.warmupOrders);
    const latencyCustomers = customers.slice(
      settings.warmupOrders,
      settings.warmupOrders + settings.latencyOrders,
    );
    const throughputCustomers = customers.slice(settings.warmupOrders + settings.latencyOrders);

    // Open (and authenticate) each latency customer's socket before the clock starts: a client
    // watching its orders already has its connection.
    const clientOf = new Map<SignedUpUser, Client>();
    for (const customer of latencyCustomers) {
      const client = createClient({
        url: stack.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${customer.accessToken}` },
        retryAttempts: 0,
        lazy: false,
      });
      clients.push(client);
      clientOf.set(customer, client);
    }
    await Promise.all(
      clients.map(
        (client) =>
          new Promise<void>((resolve, reject) => {
            client.on('connected', () => resolve());
            client.on('error', reject);
          }),
      ),
    );

    log(`warm-up: ${settings.warmupOrders} orders (Kafka consumer groups settle)...`);
    const warmupIds = await Promise.all(
      warmup.map((customer) => placeOrder(stack, customer.accessToken)),
    );
    await waitUntilSettled(stack, warmupIds, 120_000);

    log(`waiting for ${settings.lock}...`);
    const unlock = await takeLock(settings.lock);
    const loadBefore = loadavg();
    let latency: LatencySample[] = [];
    let throughput;
    try {
      log(
        `(1) latency: ${settings.latencyOrders} orders, ${settings.latencyConcurrency} at a time`,
      );
      const samples: LatencySample[] = [];
      await pool(latencyCustomers.length, settings.latencyConcurrency, async (i) => {
        const customer = latencyCustomers[i]!;
        samples.push(await observedOrder(stack, clientOf.get(customer)!, customer));
      });
      latency = samples;

      log(
        `(2) throughput: ${settings.throughputOrders} orders, ${settings.throughputConcurrency} clients placing back to back`,
      );
      const orderIds: string[] = [];
      const placeTimes: number[] = [];
      const startWall = Date.now();
      const start = performance.now();
      await pool(throughputCustomers.length, settings.throughputConcurrency, async (i) => {
        const before = performance.now();
        orderIds.push(await placeOrder(stack, throughputCustomers[i]!.accessToken));
        placeTimes.push(performance.now() - before);
      });
      const placedMs = performance.now() - start;
      await waitUntilSettled(stack, orderIds);
      const observedMs = performance.now() - start;
      const settled = await settledAt(stack, orderIds);
      const lastAt = Math.max(...[...settled.values()].map((row) => row.at));
      const statuses: Record<string, number> = {};
      for (const row of settled.values()) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
      // From the first placeOrder's request start to the last order's final transition as the
      // orders worker committed it (its history row's timestamp; same machine, same clock).
      const pipelineMs = lastAt - startWall;
      throughput = {
        orders: orderIds.length,
        statuses,
        placeOrderPhaseMs: Math.round(placedMs),
        placeOrderPerSecond: Math.round((orderIds.length / placedMs) * 1000 * 10) / 10,
        firstPlaceToLastConfirmedMs: Math.round(pipelineMs),
        ordersPerSecond: Math.round((orderIds.length / pipelineMs) * 1000 * 10) / 10,
        pollObservedMs: Math.round(observedMs),
        placeOrderLatency: summary(placeTimes),
        placedToConfirmedInDatabase: summary(
          [...settled.values()].map((row) => row.at - row.placedAt),
        ),
      };
    } finally {
      unlock();
    }
    const loadAfter = loadavg();

    const latencySettled = await settledAt(
      stack,
      latency.map((sample) => sample.orderId),
    );
    const byObserved = (observed: Observed) =>
      latency.filter((sample) => sample.observed === observed).map((sample) => sample.confirmedMs);
    const report = {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        os: `${osType()} ${release()}`,
        node: process.version,
        loadAverageBefore: loadBefore.map((value) => Math.round(value * 100) / 100),
        loadAverageAfter: loadAfter.map((value) => Math.round(value * 100) / 100),
      },
      settings: {
        ...settings,
        eventBus: 'kafka',
        kafkaBrokers: process.env.KAFKA_BROKERS,
        topology:
          'one process: every subgraph, the orders worker and the gateway (startStack), the clients too; PostgreSQL, Redis, Kafka and the search engine local',
        paymentToken: 'tok_visa',
        productsInRotation: settings.products,
        itemsPerOrder: 1,
      },
      latency: {
        definition:
          "placeOrder's request start → the CONFIRMED push on the client's graphql-ws subscription, opened as soon as placeOrder returned the id. When the saga beat the subscription, the time of the order(id) read that found CONFIRMED is used instead (polled, an upper bound).",
        statuses: Object.fromEntries(
          ['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED'].map((status) => [
            status,
            latency.filter((sample) => sample.status === status).length,
          ]),
        ),
        all: summary(latency.map((sample) => sample.confirmedMs)),
        pushed: summary(byObserved('push')),
        fellBackFirstRead: summary(byObserved('fallback-first-read')),
        fellBackMissedPush: summary(byObserved('fallback-missed-push')),
        placeOrderRequest: summary(latency.map((sample) => sample.placeOrderMs)),
        startToConfirmedInDatabase: summary(
          latency.map(
            (sample) =>
              (latencySettled.get(sample.orderId)?.at ?? Number.NaN) - sample.startedAtWall,
          ),
        ),
        samples: latency,
      },
      throughput,
    };

    const date = report.date.slice(0, 10);
    const resultsDir = new URL('./results/', import.meta.url);
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(new URL(`saga-${date}.json`, resultsDir), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${markdown(report)}\n`);
    log(`written to bench/results/saga-${date}.json`);
  } finally {
    for (const client of clients) await client.dispose();
    await stack.close();
  }
}

interface ReportView {
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    os: string;
    node: string;
    loadAverageBefore: number[];
    loadAverageAfter: number[];
  };
  latency: {
    all: ReturnType<typeof summary>;
    pushed: ReturnType<typeof summary>;
    fellBackFirstRead: ReturnType<typeof summary>;
    fellBackMissedPush: ReturnType<typeof summary>;
    placeOrderRequest: ReturnType<typeof summary>;
    startToConfirmedInDatabase: ReturnType<typeof summary>;
    statuses: Record<string, number>;
  };
  throughput?: {
    orders: number;
    statuses: Record<string, number>;
    placeOrderPerSecond: number;
    firstPlaceToLastConfirmedMs: number;
    ordersPerSecond: number;
    placeOrderLatency: ReturnType<typeof summary>;
    placedToConfirmedInDatabase: ReturnType<typeof summary>;
  };
}

function markdown(report: ReportView): string {
  const { machine, latency, throughput } = report;
  const ms = (value: number) => (Number.isFinite(value) ? String(value) : '–');
  const row = (label: string, s: ReturnType<typeof summary>) =>
    `| ${label} | ${s.count} | ${ms(s.p50Ms)} | ${ms(s.p90Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} |`;
  const lines = [
    `Machine: ${machine.cpu}, nproc ${machine.cores}, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; load average (1/5/15 min) ${machine.loadAverageBefore.join(' / ')} before, ${machine.loadAverageAfter.join(' / ')} after. Event bus: Kafka.`,
    '',
    `(1) placeOrder → CONFIRMED as seen by a subscribed client (${settings.latencyOrders} orders, ${settings.latencyConcurrency} at a time; final statuses ${JSON.stringify(latency.statuses)}):`,
    '',
    '| measurement | n | p50 ms | p90 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('all orders (push, or polled order(id) when the saga beat the subscription)', latency.all),
    row('… received as a graphql-ws push', latency.pushed),
    row('… fell back: first order(id) read already CONFIRMED (polled)', latency.fellBackFirstRead),
    row('… fell back: push missed, slow poll saw CONFIRMED (polled)', latency.fellBackMissedPush),
    row('placeOrder request alone', latency.placeOrderRequest),
    row(
      'placeOrder start → worker commits CONFIRMED (database timestamp)',
      latency.startToConfirmedInDatabase,
    ),
  ];
  if (throughput) {
    lines.push(
      '',
      `(2) Throughput: ${throughput.orders} orders by ${settings.throughputConcurrency} concurrent clients (final statuses ${JSON.stringify(throughput.statuses)}):`,
      '',
      '| measurement | value |',
      '| --- | ---: |',
      `| orders/s, first placeOrder → last order CONFIRMED | **${throughput.ordersPerSecond}** |`,
      `| first placeOrder → last CONFIRMED, ms | ${throughput.firstPlaceToLastConfirmedMs} |`,
      `| placeOrder accepted/s | ${throughput.placeOrderPerSecond} |`,
      `| placeOrder request p50 / p99 ms | ${throughput.placeOrderLatency.p50Ms} / ${throughput.placeOrderLatency.p99Ms} |`,
      `| order created → CONFIRMED in the database p50 / p99 ms | ${throughput.placedToConfirmedInDatabase.p50Ms} / ${throughput.placedToConfirmedInDatabase.p99Ms} |`,
    );
  }
  return lines.join('\n');
}

await main();
