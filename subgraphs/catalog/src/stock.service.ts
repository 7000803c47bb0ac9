import type { Tx } from '@microshop/db';
import { appendToOutbox, createEvent, variantOf, type DomainEvent } from '@microshop/events';
import type { Logger } from '@microshop/runtime';
import { outboxSource, productChanged } from './events.ts';
import {
  unitsByVariant,
  type ProductRepository,
  type ReservationSettlement,
  type VariantUnits,
} from './product.repository.ts';

/** A line the stock cannot serve, as StockRejected tells it. */
export interface UnavailableLine {
  productId: string;
  variantId: string;
  requested: number;
  available: number;
}

export type ReservationOutcome =
  | { kind: 'reserved'; items: VariantUnits[] }
  | { kind: 'rejected'; unavailable: UnavailableLine[] }
  /** The order already holds reservations: a redelivery, nothing changes. */
  | { kind: 'already-reserved' };

/**
 * The catalog's side of the order saga. Every method runs inside the caller's transaction (the
 * event consumer's, which also records the event id), so an event's whole effect — stock,
 * reservations, the events it causes — commits together or not at all.
 */
export class StockService {
  constructor(
    private readonly repository: ProductRepository,
    private readonly logger: Logger,
  ) {}

  /** The stock consumer: one consumed order event; other events are not the catalog's business. */
  handleOrderEvent = async (tx: Tx, event: DomainEvent): Promise<void> => {
    if (event.type === 'OrderPlaced') {
      await this.reserveForOrder(tx, event);
    } else if (event.type === 'OrderStatusChanged') {
      const { orderId, to } = event.payload;
      if (to === 'PAYMENT_FAILED' || to === 'CANCELLED')
        await this.releaseForOrder(tx, orderId, event.requestId);
      else if (to === 'SHIPPED') await this.commitForOrder(tx, orderId, event.requestId);
    }
  };

  /**
   * Reserves every line of the order or none, per variant (a line from before variants is of its
   * product's single variant, `variantOf`). Variant rows are locked in id order (no deadlock
   * between concurrent orders), availability is checked for all of them under the locks, and only
   * then updated: under any concurrency the reserved units never exceed the units on hand.
   */
  async reserveForOrder(tx: Tx, event: DomainEvent<'OrderPlaced'>): Promise<ReservationOutcome> {
    const { orderId } = event.payload;
    const log = this.logger.child({ orderId, eventId: event.id, requestId: event.requestId });
    if (await this.repository.hasReservations(tx, orderId)) {
      log.info('order already holds reservations; nothing to do');
      return { kind: 'already-reserved' };
    }

    const lines = unitsByVariant(
      event.payload.items.map((item) => ({
        variantId: variantOf(item),
        productId: item.productId,
        quantity: item.quantity,
      })),
    );
    // A plain read first: an order that cannot be served by the committed stock is rejected
    // without queueing on the row locks (it is as if it arrived a moment earlier). Only orders
    // that look servable lock their rows and check again under the locks.
    let unavailable = await this.unavailableLines(tx, lines, false);
    if (unavailable.length === 0) unavailable = await this.unavailableLines(tx, lines, true);

    if (unavailable.length > 0) {
      await appendToOutbox(tx, outboxSource, [
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

    await this.repository.reserve(tx, orderId, lines);
    await appendToOutbox(tx, outboxSource, [
      createEvent('StockReserved', orderId, { orderId, items: lines }, event.requestId),
      ...productChanged(
        lines.map((line) => line.productId),
        event.requestId,
      ),
    ]);
    log.info({ lines: lines.length }, 'stock reserved');
    return { kind: 'reserved', items: lines };
  }

  /**
   * Lines the current stock cannot serve (a variant that is not the line's product's counts as
   * none); with `lock`, the variant rows stay locked (id order) until commit.
   */
  private async unavailableLines(
    tx: Tx,
    lines: VariantUnits[],
    lock: boolean,
  ): Promise<UnavailableLine[]> {
    const rows = await this.repository.availability(
      tx,
      lines.map((line) => line.variantId),
      lock,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return lines
      .map((line) => {
        const variant = byId.get(line.variantId);
        return {
          productId: line.productId,
          variantId: line.variantId,
          requested: line.quantity,
          available:
            variant?.active && variant.productId === line.productId ? variant.available : 0,
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
    settlement: ReservationSettlement,
    requestId?: string,
  ): Promise<number> {
    const lines = await this.repository.settleReservations(tx, orderId, settlement);
    if (lines.length > 0) {
      await appendToOutbox(
        tx,
        outboxSource,
        productChanged(
          lines.map((line) => line.productId),
          requestId,
        ),
      );
    }
    this.logger.info(
      { orderId, status: settlement, lines: lines.length, requestId },
      'reservations settled',
    );
    return lines.length;
  }
}
