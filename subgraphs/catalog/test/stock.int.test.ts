import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@microshop/db';
import { createEvent, type DomainEvent } from '@microshop/events';
import { createTestDatabase, type TestDatabase } from '@microshop/testing';
import { ProductRepository } from '../src/product.repository.ts';
import { StockService } from '../src/stock.service.ts';
import { insertProducts, silentLogger } from './helpers.ts';

let database: TestDatabase;
let db: Db;
let stock: StockService;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  stock = new StockService(new ProductRepository(db), silentLogger);
});
afterAll(async () => {
  await database?.drop();
});

function orderPlaced(
  lines: Array<{ productId: string; quantity: number }>,
  orderId = randomUUID(),
): DomainEvent<'OrderPlaced'> {
  return createEvent('OrderPlaced', orderId, {
    orderId,
    userId: randomUUID(),
    items: lines.map((line) => ({
      ...line,
      unitPrice: { amount: 1000, currency: 'EUR' },
      productName: 'x',
    })),
    total: { amount: 1000, currency: 'EUR' },
    paymentToken: 'tok_visa',
  });
}

// Generous waits: 50 transactions queue on one row lock and a pool of 20 connections.
const reserve = (event: DomainEvent<'OrderPlaced'>) =>
  db.$transaction((tx) => stock.reserveForOrder(tx, event), { maxWait: 60_000, timeout: 60_000 });
// insertProducts' products have one variant each, with the product's id.
const product = (id: string) => db.productVariant.findUniqueOrThrow({ where: { id } });
const outboxTypes = async (aggregateId: string) =>
  (await db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } })).map(
    (row) => row.type,
  );

describe('stock reservations', () => {
  it('never oversells: 50 concurrent orders of 1 unit against 10 on hand reserve exactly 10', async () => {
    const [productId] = await insertProducts(db, [{ sku: 'OVERSELL', onHand: 10 }]);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        reserve(orderPlaced([{ productId: productId!, quantity: 1 }])),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.kind === 'reserved')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome.kind === 'rejected')).toHaveLength(40);
    const after = await product(productId!);
    expect(after.onHand).toBe(10);
    expect(after.reserved).toBe(10);
    expect(await db.stockReservation.count({ where: { productId: productId! } })).toBe(10);
    // Events went out with the effects: 10 StockReserved, 40 StockRejected.
    expect(await db.outboxEvent.count({ where: { type: 'StockReserved' } })).toBe(10);
    expect(await db.outboxEvent.count({ where: { type: 'StockRejected' } })).toBe(40);
  });

  it('reserves every line or none, and names every unavailable product', async () => {
    const [plenty, scarce] = await insertProducts(db, [
      { sku: 'ALL-OR-NONE-1', onHand: 5 },
      { sku: 'ALL-OR-NONE-2', onHand: 1 },
    ]);
    const unknown = randomUUID();
    const event = orderPlaced([
      { productId: plenty!, quantity: 2 },
      { productId: scarce!, quantity: 2 },
      { productId: unknown, quantity: 1 },
    ]);
    const outcome = await reserve(event);
    expect(outcome).toEqual({
      kind: 'rejected',
      unavailable: expect.arrayContaining([
        { productId: scarce, variantId: scarce, requested: 2, available: 1 },
        { productId: unknown, variantId: unknown, requested: 1, available: 0 },
      ]),
    });
    expect(outcome.kind === 'rejected' && outcome.unavailable).toHaveLength(2);
    expect((await product(plenty!)).reserved).toBe(0);
    expect((await product(scarce!)).reserved).toBe(0);
    expect(await db.stockReservation.count({ where: { orderId: event.payload.orderId } })).toBe(0);
    expect(await outboxTypes(event.payload.orderId)).toEqual(['StockRejected']);
  });

  it('sums repeated lines of one product', async () => {
    const [productId] = await insertProducts(db, [{ sku: 'REPEATED', onHand: 3 }]);
    const outcome = await reserve(
      orderPlaced([
        { productId: productId!, quantity: 2 },
        { productId: productId!, quantity: 2 },
      ]),
    );
    expect(outcome.kind).toBe('rejected');
    expect((await product(productId!)).reserved).toBe(0);
  });

  it('reserves once when the same OrderPlaced is handled twice', async () => {
    const [productId] = await insertProducts(db, [{ sku: 'REDELIVERED', onHand: 4 }]);
    const event = orderPlaced([{ productId: productId!, quantity: 3 }]);
    expect((await reserve(event)).kind).toBe('reserved');
    expect((await reserve(event)).kind).toBe('already-reserved');
    expect((await product(productId!)).reserved).toBe(3);
    expect(await outboxTypes(event.payload.orderId)).toEqual(['StockReserved']);
  });

  it('releases on payment failure or cancellation, once', async () => {
    const [productId] = await insertProducts(db, [{ sku: 'RELEASED', onHand: 4 }]);
    const event = orderPlaced([{ productId: productId!, quantity: 3 }]);
    await reserve(event);
    const failed = createEvent('OrderStatusChanged', event.payload.orderId, {
      orderId: event.payload.orderId,
      userId: event.payload.userId,
      from: 'PENDING',
      to: 'PAYMENT_FAILED',
      reason: 'declined',
    });
    await db.$transaction((tx) => stock.handleOrderEvent(tx, failed));
    expect(await product(productId!)).toMatchObject({ onHand: 4, reserved: 0 });
    await db.$transaction((tx) => stock.handleOrderEvent(tx, failed));
    expect(await product(productId!)).toMatchObject({ onHand: 4, reserved: 0 });
    const reservation = await db.stockReservation.findFirstOrThrow({
      where: { orderId: event.payload.orderId },
    });
    expect(reservation.status).toBe('RELEASED');
  });

  it('commits on shipping: the units leave on hand and reserved', async () => {
    const [productId] = await insertProducts(db, [{ sku: 'SHIPPED', onHand: 4 }]);
    const event = orderPlaced([{ productId: productId!, quantity: 3 }]);
    await reserve(event);
    const shipped = createEvent('OrderStatusChanged', event.payload.orderId, {
      orderId: event.payload.orderId,
      userId: event.payload.userId,
      from: 'CONFIRMED',
      to: 'SHIPPED',
      reason: null,
    });
    await db.$transaction((tx) => stock.handleOrderEvent(tx, shipped));
    expect(await product(productId!)).toMatchObject({ onHand: 1, reserved: 0 });
    // A later cancellation finds nothing reserved any more: shipped units stay shipped.
    await db.$transaction((tx) => stock.releaseForOrder(tx, event.payload.orderId));
    expect(await product(productId!)).toMatchObject({ onHand: 1, reserved: 0 });
  });
});
