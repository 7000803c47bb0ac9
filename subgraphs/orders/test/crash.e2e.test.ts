import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import { appendToOutbox, createEvent, createEventBus, type EventBus } from '@microshop/events';
import { createLogger } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  waitFor,
  type TestDatabase,
} from '@microshop/testing';
import { OrderRepository } from '../src/order.repository.ts';
import { ORDERS_WORKER_GROUP, outboxSource } from '../src/events.ts';

/**
 * Orders processes killed with SIGKILL mid-flight and started again: the worker in the middle of
 * 200 outcomes (every order still settles, exactly once), and the orders process, whose outbox
 * relay publishes (no event is lost). An e2e file because it starts real processes (slow on a
 * busy machine); it needs Postgres and Kafka only.
 */

const ORDERS = 200;
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const logger = createLogger('orders-crash-test', {
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
});

let db: TestDatabase;
let namespace: string;
let bus: EventBus;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  db = await createTestDatabase();
  namespace = testNamespace('crash');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    NAMESPACE: namespace,
    KAFKA_BROKERS: requireBackend('KAFKA_BROKERS'),
  });
  bus = await createEventBus(config, { db: db.prisma, logger });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await bus?.close();
  await db?.drop();
});

/** `npm start` (entry 'main') or `npm run start:worker` (entry 'worker-main') of orders. */
function startProcess(entry: 'main' | 'worker-main'): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `subgraphs/orders/src/${entry}.ts`], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      NAMESPACE: namespace,
      KAFKA_BROKERS: requireBackend('KAFKA_BROKERS'),
      ORDERS_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function killed(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await once(child, 'exit');
}

async function processedCount(): Promise<number> {
  return db.prisma.processedEvent.count({
    where: { consumer: `${namespace}${ORDERS_WORKER_GROUP}` },
  });
}

it(
  'settles every order exactly once across a SIGKILL of the worker',
  { timeout: 240_000 },
  async () => {
    const repository = new OrderRepository(db.prisma);
    const orderIds = await db.prisma.$transaction(
      async (tx) => {
        const ids: string[] = [];
        for (let index = 0; index < ORDERS; index += 1) {
          const order = await repository.create(tx, {
            userId: randomUUID(),
            idempotencyKey: randomUUID(),
            currency: 'EUR',
            totals: { subtotal: 990, discount: 0, shipping: 0, tax: 0, total: 990 },
            lines: [
              {
                productId: randomUUID(),
                productName: 'Spoon',
                variantId: randomUUID(),
                variantSku: 'SPOON-1',
                variantTitle: 'Default',
                selectedOptions: [],
                unitPriceAmount: 990,
                quantity: 1,
              },
            ],
          });
          ids.push(order.id);
        }
        return ids;
      },
      { timeout: 60_000 },
    );
    await bus.publish(
      orderIds.map((orderId) =>
        createEvent('PaymentAuthorized', orderId, {
          orderId,
          paymentId: randomUUID(),
          amount: { amount: 990, currency: 'EUR' },
        }),
      ),
    );

    const first = startProcess('worker-main');
    await waitFor(
      'the first worker to settle some orders',
      async () => ((await processedCount()) >= 20 ? true : undefined),
      120_000,
    );
    first.kill('SIGKILL');
    await once(first, 'exit');
    const settledBeforeTheKill = await processedCount();
    expect(settledBeforeTheKill).toBeLessThan(ORDERS);

    startProcess('worker-main');
    await waitFor(
      'every order to be confirmed',
      async () =>
        (await db.prisma.order.count({ where: { id: { in: orderIds }, status: 'CONFIRMED' } })) ===
        ORDERS
          ? true
          : undefined,
      180_000,
    );

    expect(await db.prisma.orderStatusChange.count({ where: { orderId: { in: orderIds } } })).toBe(
      2 * ORDERS,
    );
    expect(
      await db.prisma.outboxEvent.count({
        where: { aggregateId: { in: orderIds }, type: 'OrderStatusChanged' },
      }),
    ).toBe(ORDERS);
    expect(await processedCount()).toBe(ORDERS);
  },
);

it(
  'loses no event across a SIGKILL of the orders process (its outbox relay)',
  { timeout: 240_000 },
  async () => {
    const seen = new Set<string>();
    const observer = await bus.subscribe({
      group: 'crash-observer',
      topics: ['orders'],
      handler: async (event) => {
        seen.add(event.id);
      },
    });
    const written: string[] = [];
    /** Writes `count` status events to the orders outbox, as the orders service does. */
    async function write(count: number): Promise<void> {
      for (let index = 0; index < count; index += 1) {
        const orderId = randomUUID();
        const event = createEvent('OrderStatusChanged', orderId, {
          orderId,
          userId: randomUUID(),
          from: 'PENDING',
          to: 'CONFIRMED',
          reason: null,
        });
        await db.prisma.$transaction((tx) => appendToOutbox(tx, outboxSource, [event]));
        written.push(event.id);
      }
    }
    const published = () =>
      db.prisma.outboxEvent.count({ where: { id: { in: written }, publishedAt: { not: null } } });

    try {
      const first = startProcess('main');
      await write(50);
      await waitFor(
        'the relay to publish some events',
        async () => ((await published()) >= 20 ? true : undefined),
        120_000,
      );
      await killed(first);
      // Orders keep being placed while the relay is down: the outbox holds their events.
      await write(150);
      expect(await published()).toBeLessThan(200);

      startProcess('main');
      await waitFor(
        'every event to be published and consumed',
        async () =>
          (await published()) === 200 && written.every((id) => seen.has(id)) ? true : undefined,
        180_000,
      );
    } finally {
      await observer.close();
    }
  },
);
