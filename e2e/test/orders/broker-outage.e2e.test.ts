import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  graphql,
  requireBackend,
  signUpUser,
  waitFor,
  type SignedUpUser,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * Broker outage: the whole stack runs against a Kafka broker of this file's own (started with
 * scripts/infra/up on other ports, so the shared broker other tests use is never touched). Orders
 * placed while that broker is down are still accepted (PENDING, OrderPlaced held in the outbox);
 * once it is back every order completes, none lost, none paid or settled twice.
 */

const BEFORE_OUTAGE = 3;
const DURING_OUTAGE = 5;

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

let dataDir: string | undefined;
let kafkaPort: number;
let controllerPort: number;
let stack: Stack | undefined;
let adminToken: string;

/**
 * A port nothing listens on now. Fixed ports could collide with a second checkout running this
 * file, and `up` would then reuse that other broker instead of starting (and stopping) its own.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** scripts/infra/{up,down} for this file's private broker (own ports, own data dir). */
async function infra(script: 'up' | 'down', ...args: string[]): Promise<void> {
  await run('bash', [join(repoRoot, 'scripts/infra', script), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      MICROSHOP_KAFKA_PORT: String(kafkaPort),
      MICROSHOP_KAFKA_CONTROLLER_PORT: String(controllerPort),
      MICROSHOP_INFRA_DATA: dataDir,
    },
    timeout: 150_000,
  });
}

beforeAll(async () => {
  // The stack needs the real backends; the shared broker's variable is required too, so a
  // machine without Kafka tooling fails here like every other Kafka test instead of skipping.
  requireBackend('KAFKA_BROKERS');
  kafkaPort = await freePort();
  do controllerPort = await freePort();
  while (controllerPort === kafkaPort);
  dataDir = await mkdtemp(join(tmpdir(), 'microshop-broker-outage-'));
  await infra('up', 'kafka');
  stack = await startStack({ overrides: { KAFKA_BROKERS: `127.0.0.1:${kafkaPort}` } });
  adminToken = (await signInAdmin(stack)).accessToken;
});

afterAll(async () => {
  try {
    await stack?.close();
  } finally {
    if (dataDir) {
      await infra('down', 'kafka').catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  }
});

function gateway(): string {
  return stack!.gatewayUrl;
}

interface Placed {
  user: SignedUpUser;
  orderId: string;
  status: string;
}

/**
 * A new customer with one unit in the cart places a tok_visa order (retried with the same key).
 * Sent here, not with placeOrder(): the status placeOrder answers with is checked below.
 */
async function placeOrder(productId: string): Promise<Placed> {
  const user = await signUpUser(stack!);
  await addToCart(stack!, user.accessToken, productId);
  const idempotencyKey = randomUUID();
  let answer: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const placed = await graphql<{
      placeOrder: { order: { id: string; status: string } | null; userErrors: unknown[] };
    }>(
      gateway(),
      'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code message } } }',
      { input: { idempotencyKey, paymentToken: 'tok_visa' } },
      user.accessToken,
    );
    const order = placed.data?.placeOrder.order;
    if (order) return { user, orderId: order.id, status: order.status };
    answer = placed;
    if (!placed.errors) break;
  }
  throw new Error(`placeOrder failed: ${JSON.stringify(answer)}`);
}

async function statusOf({ user, orderId }: Placed): Promise<string | undefined> {
  const read = await graphql<{ order: { status: string } | null }>(
    gateway(),
    'query Order($id: ID!) { order(id: $id) { status } }',
    { id: orderId },
    user.accessToken,
  );
  return read.data?.order?.status;
}

async function allConfirmed(orders: Placed[], timeoutMs: number): Promise<void> {
  await waitFor(
    `${orders.length} orders to be CONFIRMED`,
    async () => {
      const statuses = await Promise.all(orders.map(statusOf));
      return statuses.every((status) => status === 'CONFIRMED') ? true : undefined;
    },
    timeoutMs,
  );
}

it('accepts orders while Kafka is down and completes every one of them once it is back', async () => {
  const db = stack!.db.prisma;
  const productId = await createProduct(stack!, adminToken, {
    name: 'Outage lantern',
    initialStock: BEFORE_OUTAGE + DURING_OUTAGE + 2,
  });

  const before: Placed[] = [];
  for (let i = 0; i < BEFORE_OUTAGE; i += 1) before.push(await placeOrder(productId));
  await allConfirmed(before, 60_000);

  await infra('down', 'kafka');

  const during: Placed[] = [];
  for (let i = 0; i < DURING_OUTAGE; i += 1) during.push(await placeOrder(productId));
  expect(during.map((order) => order.status)).toEqual(during.map(() => 'PENDING'));
  const duringIds = during.map((order) => order.orderId);

  // With no broker nothing moves: the orders stay PENDING, their OrderPlaced rows unpublished.
  // Long enough for the relay's sends and the consumers' fetches to fail and back off.
  await sleep(8_000);
  expect(await Promise.all(during.map(statusOf))).toEqual(during.map(() => 'PENDING'));
  const held = await db.outboxEvent.findMany({
    where: { aggregateId: { in: duringIds }, type: 'OrderPlaced' },
    select: { aggregateId: true, publishedAt: true },
  });
  expect(held).toHaveLength(DURING_OUTAGE);
  expect(held.every((row) => row.publishedAt === null)).toBe(true);

  await infra('up', 'kafka');

  const all = [...before, ...during];
  await allConfirmed(all, 120_000);

  const allIds = all.map((order) => order.orderId);
  const unpublished = await db.outboxEvent.count({
    where: { aggregateId: { in: allIds }, type: 'OrderPlaced', publishedAt: null },
  });
  expect(unpublished).toBe(0);

  // Exactly one payment per order, authorized.
  const payments = await db.payment.findMany({
    where: { orderId: { in: allIds } },
    select: { orderId: true, status: true },
  });
  expect(payments.map((payment) => payment.orderId).sort()).toEqual([...allIds].sort());
  expect(payments.every((payment) => payment.status === 'AUTHORIZED')).toBe(true);

  // Every order's history is PENDING then CONFIRMED, once each.
  const history = await db.orderStatusChange.findMany({
    where: { orderId: { in: allIds } },
    orderBy: [{ orderId: 'asc' }, { sequence: 'asc' }],
    select: { orderId: true, status: true },
  });
  for (const orderId of allIds) {
    expect(history.filter((row) => row.orderId === orderId).map((row) => row.status)).toEqual([
      'PENDING',
      'CONFIRMED',
    ]);
  }

  // One unit reserved per order, none twice.
  const variant = await db.productVariant.findFirstOrThrow({
    where: { productId },
    select: { reserved: true },
  });
  expect(variant.reserved).toBe(all.length);
});
