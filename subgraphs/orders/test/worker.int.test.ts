import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import { createEvent, createEventBus, type DomainEvent, type EventBus } from '@microshop/events';
import { createLogger } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  waitFor,
  type TestDatabase,
} from '@microshop/testing';
import { DiscountRepository } from '../src/discount.repository.ts';
import { OrderRepository } from '../src/order.repository.ts';
import { OrderTransitions } from '../src/order-transitions.ts';
import { ORDERS_WORKER_GROUP } from '../src/events.ts';
import { startWorker, type RunningWorker } from '../src/worker.ts';

const logger = createLogger('orders-worker-test', {
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
});

describe.each(['kafka', 'postgres-log'] as const)('orders worker on the %s bus', (busKind) => {
  let db: TestDatabase;
  let namespace: string;
  let bus: EventBus;
  let worker: RunningWorker;
  let repository: OrderRepository;
  let config: ReturnType<typeof loadConfig>;

  beforeAll(async () => {
    db = await createTestDatabase();
    namespace = testNamespace('ow');
    config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      NAMESPACE: namespace,
      ...(busKind === 'kafka' ? { KAFKA_BROKERS: requireBackend('KAFKA_BROKERS') } : {}),
    });
    repository = new OrderRepository(db.prisma);
    bus = await createEventBus(config, { db: db.prisma, logger });
    worker = await startWorker(config, logger);
  });

  afterAll(async () => {
    await worker?.close();
    await bus?.close();
    await db?.drop();
  });

  async function pendingOrder(): Promise<string> {
    const order = await db.prisma.$transaction((tx) =>
      repository.create(tx, {
        userId: randomUUID(),
        idempotencyKey: randomUUID(),
        currency: 'EUR',
        totals: { subtotal: 1250, discount: 0, shipping: 0, tax: 0, total: 1250 },
        lines: [
          {
            productId: randomUUID(),
            productName: 'Mug',
            variantId: randomUUID(),
            variantSku: 'MUG-1',
            variantTitle: 'Default',
            selectedOptions: [],
            unitPriceAmount: 1250,
            quantity: 1,
          },
        ],
      }),
    );
    return order.id;
  }

  /** Resolves once the worker has handled (or skipped as a duplicate) the event. */
  async function handled(event: DomainEvent): Promise<void> {
    await waitFor(`${event.type} ${event.id} to be handled`, async () =>
      (await db.prisma.processedEvent.count({
        where: { consumer: `${namespace}${ORDERS_WORKER_GROUP}`, eventId: event.id },
      })) === 1
        ? true
        : undefined,
    );
  }

  async function statusEvents(orderId: string) {
    const rows = await db.prisma.outboxEvent.findMany({
      where: { aggregateId: orderId, type: 'OrderStatusChanged' },
      orderBy: { sequence: 'asc' },
    });
    return rows.map((row) => (row.envelope as { payload: unknown }).payload);
  }

  async function history(orderId: string) {
    const rows = await db.prisma.orderStatusChange.findMany({
      where: { orderId },
      orderBy: { sequence: 'asc' },
    });
    return rows.map((row) => [row.status, row.reason]);
  }

  it('confirms an order on PaymentAuthorized: status, history and OrderStatusChanged together', async () => {
    const orderId = await pendingOrder();
    const event = createEvent('PaymentAuthorized', orderId, {
      orderId,
      paymentId: randomUUID(),
      amount: { amount: 1250, currency: 'EUR' },
    });
    await bus.publish([event]);
    await handled(event);
    expect((await db.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe(
      'CONFIRMED',
    );
    expect(await history(orderId)).toEqual([
      ['PENDING', null],
      ['CONFIRMED', null],
    ]);
    expect(await statusEvents(orderId)).toEqual([
      { orderId, userId: expect.any(String), from: 'PENDING', to: 'CONFIRMED', reason: null },
    ]);
  });

  it('applies a redelivered PaymentDeclined once', async () => {
    const orderId = await pendingOrder();
    const event = createEvent('PaymentDeclined', orderId, {
      orderId,
      paymentId: randomUUID(),
      reason: 'card declined',
    });
    // Same envelope twice, then an event the worker ignores on the same key: once that one is
    // handled, both copies before it (same partition, in order) have been delivered.
    const marker = createEvent('StockReserved', orderId, { orderId, items: [] });
    await bus.publish([event]);
    await bus.publish([event, marker]);
    await handled(marker);
    expect(await history(orderId)).toEqual([
      ['PENDING', null],
      ['PAYMENT_FAILED', 'card declined'],
    ]);
    expect(await statusEvents(orderId)).toHaveLength(1);
  });

  it('cancels an order on StockRejected, with the reason', async () => {
    const orderId = await pendingOrder();
    const event = createEvent('StockRejected', orderId, {
      orderId,
      unavailable: [{ productId: randomUUID(), requested: 1, available: 0 }],
      reason: 'out of stock: Mug',
    });
    await bus.publish([event]);
    await handled(event);
    expect(await history(orderId)).toEqual([
      ['PENDING', null],
      ['CANCELLED', 'out of stock: Mug'],
    ]);
  });

  it('ignores an outcome that no longer applies (cancelled before the payment settled)', async () => {
    const orderId = await pendingOrder();
    const transitions = new OrderTransitions(repository, new DiscountRepository(db.prisma));
    await db.prisma.$transaction((tx) =>
      transitions.transition(tx, orderId, 'CANCELLED', 'cancelled by the customer', undefined),
    );
    const event = createEvent('PaymentAuthorized', orderId, {
      orderId,
      paymentId: randomUUID(),
      amount: { amount: 1250, currency: 'EUR' },
    });
    await bus.publish([event]);
    await handled(event);
    expect((await db.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe(
      'CANCELLED',
    );
    expect(await statusEvents(orderId)).toHaveLength(1);
  });

  it("writes payments events into the order's timeline once, and marks a refunded return", async () => {
    const orderId = await pendingOrder();
    const paymentId = randomUUID();
    const amount = { amount: 1250, currency: 'EUR' };
    const returnRequest = await db.prisma.returnRequest.create({
      data: {
        orderId,
        userId: randomUUID(),
        status: 'APPROVED',
        reason: 'Too small',
        refundAmount: 1250,
        currency: 'EUR',
      },
    });
    const captured = createEvent('PaymentCaptured', orderId, { orderId, paymentId, amount });
    const refunded = createEvent('RefundIssued', orderId, {
      orderId,
      paymentId,
      refundId: randomUUID(),
      amount,
      refundedTotal: amount,
      fullyRefunded: true,
      reason: 'return approved',
      returnRequestId: returnRequest.id,
      actor: 'SYSTEM',
    });
    // The copies, then an event of the same order on the same topic: once it is handled, every
    // copy before it was delivered.
    const marker = createEvent('PaymentDeclined', orderId, {
      orderId,
      paymentId,
      reason: 'marker',
    });
    await bus.publish([captured, refunded]);
    await bus.publish([captured, refunded, marker]);
    await handled(marker);
    const timeline = await db.prisma.orderTimelineEntry.findMany({
      where: { orderId },
      orderBy: { at: 'asc' },
    });
    expect(timeline.map((row) => [row.kind, row.actor, row.amount, row.returnRequestId])).toEqual([
      ['PAYMENT_CAPTURED', 'SYSTEM', 1250, null],
      ['REFUND_ISSUED', 'SYSTEM', 1250, returnRequest.id],
      ['PAYMENT_DECLINED', 'SYSTEM', null, null],
    ]);
    expect(
      (await db.prisma.returnRequest.findUniqueOrThrow({ where: { id: returnRequest.id } })).status,
    ).toBe('REFUNDED');
  });

  it('sweeps event records older than EVENT_RETENTION_HOURS when it starts', async () => {
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const expired = randomUUID();
    const fresh = randomUUID();
    await db.prisma.processedEvent.createMany({
      data: [
        { consumer: 'retention-check', eventId: expired, processedAt: hourAgo },
        { consumer: 'retention-check', eventId: fresh },
      ],
    });
    const sweeping = await startWorker({ ...config, eventRetentionMs: 30 * 60 * 1000 }, logger);
    try {
      await waitFor('the expired record to be swept', async () =>
        (await db.prisma.processedEvent.count({ where: { eventId: expired } })) === 0
          ? true
          : undefined,
      );
      expect(await db.prisma.processedEvent.count({ where: { eventId: fresh } })).toBe(1);
    } finally {
      await sweeping.close();
    }
  });
});
