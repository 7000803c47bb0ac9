import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  placeOrder,
  requireBackend,
  signUpUser,
  waitFor,
  type SignedUpUser,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The worker SIGKILLed in the middle of 200 real orders: the whole stack runs in this process
 * (users, catalog, cart, payments, orders with its relay, gateway) except the orders worker, a
 * child process as in production. Customers place orders through the gateway (tok_visa, ample
 * stock); the worker is killed once some but not all are CONFIRMED, more orders arrive while it
 * is down, and a new worker settles every one: one payment per order, history PENDING then
 * CONFIRMED once each.
 */

const USERS = 20;
/** Orders per customer in each wave: before the kill, then while the worker is down. */
const PER_WAVE = 5;
const ORDERS = USERS * PER_WAVE * 2;

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const workerMain = fileURLToPath(import.meta.resolve('@microshop/orders/worker-main'));

let stack: Stack | undefined;
let adminToken: string;
let kafkaBrokers: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  kafkaBrokers = requireBackend('KAFKA_BROKERS');
  stack = await startStack({ worker: false });
  adminToken = (await signInAdmin(stack)).accessToken;
});

afterAll(async () => {
  for (const child of children) {
    child.kill('SIGKILL');
    await once(child, 'exit').catch(() => undefined);
  }
  await stack?.close();
});

/** `npm run start:worker` of orders against this stack's schema and namespace. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', workerMain], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: stack!.db.url,
      NAMESPACE: stack!.config.namespace,
      KAFKA_BROKERS: kafkaBrokers,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A request retried on a transport or GraphQL error (a busy 2-core machine); never on userErrors. */
async function withRetries<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  let lastError: unknown;
  for (let tries = 1; tries <= 3; tries += 1) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`${what} failed`, { cause: lastError });
}

/** One unit of a product added to the cart and ordered, each step with retries (one idempotency key). */
async function orderOne(user: SignedUpUser, productId: string): Promise<string> {
  await withRetries('addToCart', async () => {
    await addToCart(stack!, user.accessToken, productId);
    return true;
  });
  const idempotencyKey = randomUUID();
  return withRetries('placeOrder', () => placeOrder(stack!, user.accessToken, { idempotencyKey }));
}

/**
 * Each customer refills the cart and orders, one order after another; every order of a wave
 * puts a product of its own in the cart (`products[index]`), so the cart service emptying the
 * previous order's lines can never leave the next order an empty cart.
 */
async function placeWave(
  users: SignedUpUser[],
  products: string[],
  offset: number,
): Promise<string[]> {
  const perUser = await Promise.all(
    users.map(async (user) => {
      const ids: string[] = [];
      for (let index = 0; index < PER_WAVE; index += 1) {
        ids.push(await orderOne(user, products[offset + index]!));
      }
      return ids;
    }),
  );
  return perUser.flat();
}

async function confirmedCount(orderIds: string[]): Promise<number> {
  return stack!.db.prisma.order.count({ where: { id: { in: orderIds }, status: 'CONFIRMED' } });
}

it(
  'settles 200 real orders, each paid once, across a SIGKILL of the worker',
  { timeout: 240_000 },
  async () => {
    const db = stack!.db.prisma;
    const products: string[] = [];
    for (let index = 0; index < 2 * PER_WAVE; index += 1) {
      products.push(
        await createProduct(stack!, adminToken, {
          name: `Crash mug ${index}`,
          initialStock: 10_000,
        }),
      );
    }
    const users = await Promise.all(
      Array.from({ length: USERS }, () => signUpUser(stack!, 'Crash Customer')),
    );

    const first = startWorkerProcess();
    const before = await placeWave(users, products, 0);
    await waitFor(
      'the first worker to confirm some orders',
      async () => ((await confirmedCount(before)) >= 20 ? true : undefined),
      90_000,
    );
    first.kill('SIGKILL');
    await once(first, 'exit');
    const confirmedBeforeTheKill = await confirmedCount(before);

    // Orders keep coming while no worker runs: they wait, PENDING, for the next one.
    const during = await placeWave(users, products, PER_WAVE);
    const orderIds = [...before, ...during];
    expect(new Set(orderIds).size).toBe(ORDERS);
    expect(confirmedBeforeTheKill).toBeLessThan(ORDERS);
    expect(await confirmedCount(during)).toBe(0);

    startWorkerProcess();
    await waitFor(
      'every order to be settled',
      async () => {
        const pending = await db.order.count({
          where: { id: { in: orderIds }, status: 'PENDING' },
        });
        return pending === 0 ? true : undefined;
      },
      150_000,
    );

    // Every order reached its final state: CONFIRMED (tok_visa, ample stock).
    const statuses = await db.order.groupBy({
      by: ['status'],
      where: { id: { in: orderIds } },
      _count: { _all: true },
    });
    expect(statuses.map((row) => [row.status, row._count._all])).toEqual([['CONFIRMED', ORDERS]]);

    // Exactly one payment per confirmed order, authorized.
    const payments = await db.payment.findMany({
      where: { orderId: { in: orderIds } },
      select: { orderId: true, status: true },
    });
    expect(payments.map((payment) => payment.orderId).sort()).toEqual([...orderIds].sort());
    expect(payments.every((payment) => payment.status === 'AUTHORIZED')).toBe(true);

    // No duplicate history rows: PENDING then CONFIRMED, once each, for every order.
    const history = await db.orderStatusChange.findMany({
      where: { orderId: { in: orderIds } },
      orderBy: [{ orderId: 'asc' }, { sequence: 'asc' }],
      select: { orderId: true, status: true },
    });
    const byOrder = new Map<string, string[]>();
    for (const row of history)
      byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row.status]);
    expect(byOrder.size).toBe(ORDERS);
    for (const [orderId, rows] of byOrder) {
      expect({ orderId, rows }).toEqual({ orderId, rows: ['PENDING', 'CONFIRMED'] });
    }

    // One OrderStatusChanged per order in the outbox: no transition applied twice.
    expect(
      await db.outboxEvent.count({
        where: { aggregateId: { in: orderIds }, type: 'OrderStatusChanged' },
      }),
    ).toBe(ORDERS);
  },
);
