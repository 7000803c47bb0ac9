import type { Tx } from '@microshop/db';
import { appendToOutbox, createEvent, type DomainEvent } from '@microshop/events';
import type { Logger } from '@microshop/runtime';
import { isUuid } from './product.repository.ts';

/** The outbox source (and relay) name of everything the catalog publishes. */
export const CATALOG_SOURCE = 'catalog';

export type ReservationOutcome =
  | { kind: 'reserved'; items: Array<{ productId: string; quantity: number }> }
  | {
      kind: 'rejected';
      unavailable: Array<{ productId: string; requested: number; available: number }>;
    }
  /** The order already holds reservations: a redelivery, nothing changes. */
  | { kind: 'already-reserved' };

interface ProductAvailability {
  id: string;
  available: number;
  active: boolean;
}

/** Sums quantities per product and sorts by id: locks are always taken in one global order. */
function linesByProduct(items: ReadonlyArray<{ productId: string; quantity: number }>) {
  const totals = new Map<string, number>();
  for (const item of items)
    totals.set(item.productId, (totals.get(item.productId) ?? 0) + item.quantity);
  return [...totals.entries()]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

function productChanged(
  productIds: readonly string[],
  requestId: string | undefined,
): DomainEvent[] {
  return productIds.map((productId) =>
    createEvent('ProductChanged', productId, { productId }, requestId),
  );
}

/**
 * The catalog's side of the order saga. Every method runs inside the caller's transaction (the
 * event consumer's, which also records the event id), so an event's whole effect — stock,
 * reservations, the events it causes — commits together or not at all.
 */
export class StockService {
  constructor(private readonly logger: Logger) {}

  /** Dispatches one consumed order event; other events are not the catalog's business. */
  async handleOrderEvent(tx: Tx, event: DomainEvent): Promise<void> {
    if (event.type === 'OrderPlaced') {
      await this.reserveForOrder(tx, event);
    } else if (event.type === 'OrderStatusChanged') {
      const { orderId, to } = event.payload;
      if (to === 'PAYMENT_FAILED' || to === 'CANCELLED')
        await this.releaseForOrder(tx, orderId, event.requestId);
      else if (to === 'SHIPPED') await this.commitForOrder(tx, orderId, event.requestId);
    }
  }

  /**
   * Reserves every line of the order or none. Product rows are locked in id order (no deadlock
   * between concurrent orders), availability is checked for all of them under the locks, and only
   * then updated: under any concurrency the reserved units never exceed the units on hand.
   */
  async reserveForOrder(tx: Tx, event: DomainEvent<'OrderPlaced'>): Promise<ReservationOutcome> {
    const { orderId } = event.payload;
    const log = this.logger.child({ orderId, eventId: event.id, requestId: event.requestId });
    const existing = await tx.stockReservation.count({ where: { orderId } });
    if (existing > 0) {
      log.info('order already holds reservations; nothing to do');
      return { kind: 'already-reserved' };
    }

    const lines = linesByProduct(event.payload.items);
    // A plain read first: an order that cannot be served by the committed stock is rejected
    // without queueing on the row locks (it is as if it arrived a moment earlier). Only orders
    // that look servable lock their rows and check again under the locks.
    let unavailable = await this.unavailableLines(tx, lines, false);
    if (unavailable.length === 0) unavailable = await this.unavailableLines(tx, lines, true);

    if (unavailable.length > 0) {
      await appendToOutbox(tx, CATALOG_SOURCE, [
        createEvent(
          'StockRejected',
          orderId,
          { orderId, unavailable, reason: 'insufficient stock' },
          event.requestId,
        ),
      ]);
      log.info({ unavailable }, 'stock rejected');
      return { kind: 'rejected', unavailable };
    }

    for (const line of lines) {
      // The condition is a second guard: it cannot fail while the row is locked, and if it ever
      // did, throwing rolls the whole event back instead of over-reserving.
      const updated = await tx.$executeRaw`
        UPDATE products SET reserved = reserved + ${line.quantity}, updated_at = now()
        WHERE id = ${line.productId}::uuid AND on_hand - reserved >= ${line.quantity}`;
      if (updated !== 1)
        throw new Error(`reservation of ${line.productId} lost its stock under lock`);
    }
    await tx.stockReservation.createMany({
      data: lines.map((line) => ({ orderId, productId: line.productId, quantity: line.quantity })),
    });
    await appendToOutbox(tx, CATALOG_SOURCE, [
      createEvent('StockReserved', orderId, { orderId, items: lines }, event.requestId),
      ...productChanged(
        lines.map((line) => line.productId),
        event.requestId,
      ),
    ]);
    log.info({ lines: lines.length }, 'stock reserved');
    return { kind: 'reserved', items: lines };
  }

  /** Lines the current stock cannot serve; with `lock`, the product rows stay locked (id order) until commit. */
  private async unavailableLines(
    tx: Tx,
    lines: Array<{ productId: string; quantity: number }>,
    lock: boolean,
  ): Promise<Array<{ productId: string; requested: number; available: number }>> {
    const ids = lines.map((line) => line.productId).filter(isUuid);
    const rows = lock
      ? await tx.$queryRaw<ProductAvailability[]>`
          SELECT id::text AS id, on_hand - reserved AS available, active
          FROM products WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`
      : await tx.$queryRaw<ProductAvailability[]>`
          SELECT id::text AS id, on_hand - reserved AS available, active
          FROM products WHERE id = ANY(${ids}::uuid[])`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    return lines
      .map((line) => {
        const product = byId.get(line.productId);
        return {
          productId: line.productId,
          requested: line.quantity,
          available: product?.active ? product.available : 0,
        };
      })
      .filter((line) => line.available < line.requested);
  }

  /** Gives an order's reserved units back (payment failed, cancelled); a second call finds none. */
  async releaseForOrder(tx: Tx, orderId: string, requestId?: string): Promise<number> {
    return this.settle(tx, orderId, 'RELEASED', requestId);
  }

  /** The order shipped: its units leave the warehouse (on hand and reserved both drop). */
  async commitForOrder(tx: Tx, orderId: string, requestId?: string): Promise<number> {
    return this.settle(tx, orderId, 'COMMITTED', requestId);
  }

  private async settle(
    tx: Tx,
    orderId: string,
    status: 'RELEASED' | 'COMMITTED',
    requestId?: string,
  ): Promise<number> {
    const settled = await tx.$queryRaw<Array<{ productId: string; quantity: number }>>`
      UPDATE stock_reservations SET status = ${status}::stock_reservation_status, updated_at = now()
      WHERE order_id = ${orderId} AND status = 'RESERVED'
      RETURNING product_id::text AS "productId", quantity`;
    const lines = linesByProduct(settled);
    for (const line of lines) {
      if (status === 'COMMITTED') {
        await tx.$executeRaw`
          UPDATE products SET on_hand = on_hand - ${line.quantity}, reserved = reserved - ${line.quantity}, updated_at = now()
          WHERE id = ${line.productId}::uuid`;
      } else {
        await tx.$executeRaw`
          UPDATE products SET reserved = reserved - ${line.quantity}, updated_at = now()
          WHERE id = ${line.productId}::uuid`;
      }
    }
    if (lines.length > 0) {
      await appendToOutbox(
        tx,
        CATALOG_SOURCE,
        productChanged(
          lines.map((line) => line.productId),
          requestId,
        ),
      );
    }
    this.logger.info({ orderId, status, lines: lines.length, requestId }, 'reservations settled');
    return lines.length;
  }
}
