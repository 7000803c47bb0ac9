import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type Principal, type TestAuthority } from '@microshop/auth';
import { loadConfig } from '@microshop/config';
import { createEvent, createEventBus, type DomainEvent, type EventBus } from '@microshop/events';
import { createLogger, type RunningServer } from '@microshop/runtime';
import {
  createTestDatabase,
  errorCodes,
  graphql,
  requireBackend,
  startJsonServer,
  testNamespace,
  waitFor,
  type RunningHttp,
  type TestDatabase,
} from '@microshop/testing';
import { PAYMENTS_CONSUMER_GROUP } from '../src/events.ts';
import { start } from '../src/start.ts';

const logger = createLogger('payments-test', { logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' });
const TOTAL = { amount: 4200, currency: 'EUR' };

let db: TestDatabase;
let namespace: string;
let authority: TestAuthority;
let jwks: RunningHttp;
let payments: RunningServer;
let bus: EventBus;

beforeAll(async () => {
  db = await createTestDatabase();
  namespace = testNamespace('pay');
  authority = await createTestAuthority();
  jwks = await startJsonServer(() => authority.jwks);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    NAMESPACE: namespace,
    KAFKA_BROKERS: requireBackend('KAFKA_BROKERS'),
    PAYMENTS_PORT: '0',
    JWKS_URL: jwks.url,
  });
  bus = await createEventBus(config, { db: db.prisma, logger });
  payments = await start(config, logger);
});

afterAll(async () => {
  await payments?.close();
  await bus?.close();
  await jwks?.close();
  await db?.drop();
});

function placed(orderId: string, userId: string, paymentToken: string) {
  return createEvent('OrderPlaced', orderId, {
    orderId,
    userId,
    items: [
      {
        productId: randomUUID(),
        quantity: 2,
        unitPrice: { amount: 2100, currency: 'EUR' },
        productName: 'Lamp',
      },
    ],
    total: TOTAL,
    paymentToken,
  });
}

function reserved(orderId: string) {
  return createEvent('StockReserved', orderId, { orderId, items: [] });
}

function statusChanged(
  orderId: string,
  userId: string,
  from: 'PENDING' | 'CONFIRMED',
  to: 'CANCELLED' | 'CONFIRMED' | 'SHIPPED',
) {
  return createEvent('OrderStatusChanged', orderId, { orderId, userId, from, to, reason: null });
}

async function handled(...events: DomainEvent[]): Promise<void> {
  for (const event of events) {
    await waitFor(`${event.type} ${event.id} to be handled`, async () =>
      (await db.prisma.processedEvent.count({
        where: { consumer: `${namespace}${PAYMENTS_CONSUMER_GROUP}`, eventId: event.id },
      })) === 1
        ? true
        : undefined,
    );
  }
}

async function paymentEvents(orderId: string) {
  const rows = await db.prisma.outboxEvent.findMany({
    where: { aggregateId: orderId, source: 'payments' },
    orderBy: { sequence: 'asc' },
  });
  return rows.map((row) => ({
    type: row.type,
    payload: (row.envelope as { payload: unknown }).payload,
  }));
}

/** Places and reserves an order; resolves once payments has handled both events. */
async function checkout(paymentToken: string, userId: string = randomUUID()) {
  const orderId = randomUUID();
  const events = [placed(orderId, userId, paymentToken), reserved(orderId)];
  await bus.publish(events);
  await handled(...events);
  return { orderId, userId };
}

const ORDER_PAYMENT = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Order { id payment { id status failureReason amount { amount currency } order { id } createdAt } }
  }
}`;

describe('payments saga', () => {
  it('authorizes tok_visa once stock is reserved, and tells the saga', async () => {
    const { orderId } = await checkout('tok_visa');
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment).toMatchObject({
      status: 'AUTHORIZED',
      amount: 4200,
      currency: 'EUR',
      failureReason: null,
    });
    expect(await paymentEvents(orderId)).toEqual([
      { type: 'PaymentAuthorized', payload: { orderId, paymentId: payment.id, amount: TOTAL } },
    ]);
  });

  it('declines tok_chargeDeclined as "card declined"', async () => {
    const { orderId } = await checkout('tok_chargeDeclined');
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment).toMatchObject({ status: 'DECLINED', failureReason: 'card declined' });
    expect(await paymentEvents(orderId)).toEqual([
      {
        type: 'PaymentDeclined',
        payload: { orderId, paymentId: payment.id, reason: 'card declined' },
      },
    ]);
  });

  it('declines an unknown token with a reason', async () => {
    const { orderId } = await checkout('tok_madeUp');
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment.status).toBe('DECLINED');
    expect(payment.failureReason).toMatch(/not recognized/);
  });

  it('charges once for a redelivered StockReserved, and for a second reservation event', async () => {
    const orderId = randomUUID();
    const reservation = reserved(orderId);
    const another = reserved(orderId);
    await bus.publish([placed(orderId, randomUUID(), 'tok_visa'), reservation]);
    await bus.publish([reservation, another]);
    await handled(another);
    expect(await db.prisma.payment.count({ where: { orderId } })).toBe(1);
    expect((await paymentEvents(orderId)).map((event) => event.type)).toEqual([
      'PaymentAuthorized',
    ]);
  });

  it('authorizes when StockReserved arrives before OrderPlaced', async () => {
    const orderId = randomUUID();
    const reservation = reserved(orderId);
    await bus.publish([reservation]);
    await handled(reservation);
    expect(await db.prisma.payment.count({ where: { orderId } })).toBe(0);
    const order = placed(orderId, randomUUID(), 'tok_visa');
    await bus.publish([order]);
    await handled(order);
    expect((await db.prisma.payment.findUniqueOrThrow({ where: { orderId } })).status).toBe(
      'AUTHORIZED',
    );
  });

  it('refunds an authorized payment when its order is cancelled, once', async () => {
    const { orderId, userId } = await checkout('tok_visa');
    const cancelled = statusChanged(orderId, userId, 'CONFIRMED', 'CANCELLED');
    await bus.publish([cancelled]);
    await bus.publish([cancelled]);
    const marker = statusChanged(orderId, userId, 'PENDING', 'CONFIRMED');
    await bus.publish([marker]);
    await handled(cancelled, marker);
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment.status).toBe('REFUNDED');
    expect(await paymentEvents(orderId)).toEqual([
      expect.objectContaining({ type: 'PaymentAuthorized' }),
      { type: 'PaymentRefunded', payload: { orderId, paymentId: payment.id, amount: TOTAL } },
    ]);
  });

  it('never charges an order cancelled before its stock was reserved', async () => {
    const orderId = randomUUID();
    const userId = randomUUID();
    // Both on the orders topic, so in this order; the reservation (catalog topic) comes after.
    const orderEvents = [
      placed(orderId, userId, 'tok_visa'),
      statusChanged(orderId, userId, 'PENDING', 'CANCELLED'),
    ];
    await bus.publish(orderEvents);
    await handled(...orderEvents);
    const reservation = reserved(orderId);
    await bus.publish([reservation]);
    await handled(reservation);
    expect(await db.prisma.payment.count({ where: { orderId } })).toBe(0);
  });

  it('captures the payment when the order ships', async () => {
    const { orderId, userId } = await checkout('tok_visa');
    const shipped = statusChanged(orderId, userId, 'CONFIRMED', 'SHIPPED');
    await bus.publish([shipped]);
    await handled(shipped);
    expect((await db.prisma.payment.findUniqueOrThrow({ where: { orderId } })).status).toBe(
      'CAPTURED',
    );
  });
});

describe('Order.payment', () => {
  it("shows an order's payment to its owner and ADMINs, FORBIDDEN to others", async () => {
    const owner: Principal = { userId: randomUUID(), role: 'CUSTOMER' };
    const { orderId } = await checkout('tok_visa', owner.userId);
    const reps = [{ __typename: 'Order', id: orderId }];
    type Answer = {
      _entities: { payment: { status: string; amount: unknown; order: { id: string } } | null }[];
    };

    const asOwner = await graphql<Answer>(
      payments.url,
      ORDER_PAYMENT,
      { reps },
      await authority.tokenFor(owner),
    );
    expect(asOwner.errors).toBeUndefined();
    expect(asOwner.data?._entities[0]?.payment).toMatchObject({
      status: 'AUTHORIZED',
      amount: TOTAL,
      order: { id: orderId },
    });

    const admin = await authority.tokenFor({ userId: randomUUID(), role: 'ADMIN' });
    expect(
      (await graphql<Answer>(payments.url, ORDER_PAYMENT, { reps }, admin)).data?._entities[0]
        ?.payment?.status,
    ).toBe('AUTHORIZED');

    const stranger = await authority.tokenFor({ userId: randomUUID(), role: 'CUSTOMER' });
    expect(errorCodes(await graphql(payments.url, ORDER_PAYMENT, { reps }, stranger))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await graphql(payments.url, ORDER_PAYMENT, { reps }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('is null for an order without a payment', async () => {
    const token = await authority.tokenFor({ userId: randomUUID(), role: 'CUSTOMER' });
    const answer = await graphql<{ _entities: { payment: unknown }[] }>(
      payments.url,
      ORDER_PAYMENT,
      { reps: [{ __typename: 'Order', id: randomUUID() }] },
      token,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities[0]?.payment).toBeNull();
  });
});

describe('refunds', () => {
  const REFUND = `mutation Refund($input: RefundOrderInput!) {
    refundOrder(input: $input) {
      refund { id amount { amount currency } reason returnRequestId }
      payment { status capturedAmount { amount } refundedAmount { amount } refunds { id } }
      userErrors { code field }
    }
  }`;
  type RefundAnswer = {
    refundOrder: {
      refund: { id: string; amount: { amount: number }; returnRequestId: string | null } | null;
      payment: {
        status: string;
        capturedAmount: { amount: number };
        refundedAmount: { amount: number };
        refunds: { id: string }[];
      } | null;
      userErrors: { code: string; field: string[] }[];
    };
  };
  let adminToken: string;

  beforeAll(async () => {
    adminToken = await authority.tokenFor({ userId: randomUUID(), role: 'ADMIN' });
  });

  /** An order whose payment was captured (it shipped): 4200 EUR to refund. */
  async function capturedOrder(): Promise<string> {
    const { orderId, userId } = await checkout('tok_visa');
    const shipped = statusChanged(orderId, userId, 'CONFIRMED', 'SHIPPED');
    await bus.publish([shipped]);
    await handled(shipped);
    return orderId;
  }

  async function refund(
    orderId: string,
    amount: number | null,
    idempotencyKey: string = randomUUID(),
    token = adminToken,
  ) {
    return graphql<RefundAnswer>(
      payments.url,
      REFUND,
      { input: { orderId, amount, reason: 'damaged in transit', idempotencyKey } },
      token,
    );
  }

  const refundEvents = async (orderId: string) =>
    (await paymentEvents(orderId)).filter((event) => event.type === 'RefundIssued');

  it('records what was captured when the order ships, with a PaymentCaptured event', async () => {
    const orderId = await capturedOrder();
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment).toMatchObject({ status: 'CAPTURED', capturedAmount: 4200, refundedAmount: 0 });
    expect((await paymentEvents(orderId)).at(-1)).toEqual({
      type: 'PaymentCaptured',
      payload: { orderId, paymentId: payment.id, amount: TOTAL },
    });
  });

  it('refunds partly, then the rest: PARTIALLY_REFUNDED, then REFUNDED, a RefundIssued each', async () => {
    const orderId = await capturedOrder();
    const first = (await refund(orderId, 1000)).data?.refundOrder;
    expect(first?.userErrors).toEqual([]);
    expect(first?.refund?.amount.amount).toBe(1000);
    expect(first?.payment).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      capturedAmount: { amount: 4200 },
      refundedAmount: { amount: 1000 },
    });
    const rest = (await refund(orderId, null)).data?.refundOrder;
    expect(rest?.refund?.amount.amount).toBe(3200);
    expect(rest?.payment).toMatchObject({ status: 'REFUNDED', refundedAmount: { amount: 4200 } });
    expect(rest?.payment?.refunds.map((row) => row.id)).toEqual([
      first?.refund?.id,
      rest?.refund?.id,
    ]);
    const events = await refundEvents(orderId);
    expect(events.map((event) => event.payload)).toEqual([
      expect.objectContaining({
        refundId: first?.refund?.id,
        amount: { amount: 1000, currency: 'EUR' },
        refundedTotal: { amount: 1000, currency: 'EUR' },
        fullyRefunded: false,
        actor: 'ADMIN',
        returnRequestId: null,
      }),
      expect.objectContaining({
        refundId: rest?.refund?.id,
        refundedTotal: { amount: 4200, currency: 'EUR' },
        fullyRefunded: true,
      }),
    ]);
  });

  it('refuses more than what is left of the capture with REFUND_EXCEEDS_CAPTURED, changing nothing', async () => {
    const orderId = await capturedOrder();
    const expectRefused = async (amount: number | null) => {
      const refused = (await refund(orderId, amount)).data?.refundOrder;
      expect(refused?.refund).toBeNull();
      expect(refused?.userErrors).toEqual([
        { code: 'REFUND_EXCEEDS_CAPTURED', field: ['input', 'amount'] },
      ]);
    };
    await refund(orderId, 4000);
    await expectRefused(201);
    expect((await refund(orderId, 200)).data?.refundOrder.userErrors).toEqual([]);
    await expectRefused(null); // nothing left at all
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment).toMatchObject({ status: 'REFUNDED', refundedAmount: 4200 });
    expect(await db.prisma.refund.count({ where: { orderId } })).toBe(2);
    expect(await refundEvents(orderId)).toHaveLength(2);
  });

  it('answers a retry with the same key with the first refund, also when sent at once', async () => {
    const orderId = await capturedOrder();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => refund(orderId, 700, 'refund-key-1')),
    );
    const ids = new Set(answers.map((answer) => answer.data?.refundOrder.refund?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeDefined();
    const later = await refund(orderId, 700, 'refund-key-1');
    expect(later.data?.refundOrder.refund?.id).toBe([...ids][0]);
    expect(await db.prisma.refund.count({ where: { orderId } })).toBe(1);
    expect((await db.prisma.payment.findUniqueOrThrow({ where: { orderId } })).refundedAmount).toBe(
      700,
    );
    expect(await refundEvents(orderId)).toHaveLength(1);
  });

  it('never refunds more than was captured under concurrent refunds with different keys', async () => {
    const orderId = await capturedOrder();
    const answers = await Promise.all(Array.from({ length: 4 }, () => refund(orderId, 1500)));
    const codes = answers.map(
      (answer) => answer.data?.refundOrder.userErrors[0]?.code ?? 'REFUNDED',
    );
    expect(codes.sort()).toEqual([
      'REFUNDED',
      'REFUNDED',
      'REFUND_EXCEEDS_CAPTURED',
      'REFUND_EXCEEDS_CAPTURED',
    ]);
    expect((await db.prisma.payment.findUniqueOrThrow({ where: { orderId } })).refundedAmount).toBe(
      3000,
    );
  });

  it('refuses what was not captured, unknown orders, and anyone but an ADMIN', async () => {
    const { orderId, userId } = await checkout('tok_visa');
    expect((await refund(orderId, 100)).data?.refundOrder.userErrors[0]?.code).toBe(
      'NOTHING_CAPTURED',
    );
    expect((await refund(randomUUID(), 100)).data?.refundOrder.userErrors[0]?.code).toBe(
      'PAYMENT_NOT_FOUND',
    );
    const owner = await authority.tokenFor({ userId, role: 'CUSTOMER' });
    expect(errorCodes(await refund(orderId, 100, randomUUID(), owner))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await refund(orderId, 0))).toEqual(['BAD_USER_INPUT']);
    expect(await db.prisma.refund.count({ where: { orderId } })).toBe(0);
  });

  it('refunds an approved return once, capped at what is left of the capture', async () => {
    const orderId = await capturedOrder();
    await refund(orderId, 3000);
    const returnRequestId = randomUUID();
    const approved = createEvent('ReturnApproved', orderId, {
      orderId,
      returnRequestId,
      amount: { amount: 2100, currency: 'EUR' },
      approvedBy: randomUUID(),
    });
    await bus.publish([approved, approved]);
    await handled(approved);
    const refunds = await db.prisma.refund.findMany({
      where: { orderId },
      orderBy: { createdAt: 'asc' },
    });
    expect(refunds.map((row) => [row.amount, row.returnRequestId])).toEqual([
      [3000, null],
      [1200, returnRequestId],
    ]);
    expect((await refundEvents(orderId)).at(-1)?.payload).toMatchObject({
      returnRequestId,
      amount: { amount: 1200, currency: 'EUR' },
      fullyRefunded: true,
      actor: 'SYSTEM',
    });
  });
});
