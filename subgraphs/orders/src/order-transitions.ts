import type { Tx } from '@microshop/db';
import { appendToOutbox, createEvent } from '@microshop/events';
import { outboxSource } from './events.ts';
import type { DiscountRepository } from './discount.repository.ts';
import { canTransition, type OrderStatus } from './order-state-machine.ts';
import type { OrderActor, OrderRecord, OrderRepository } from './order.repository.ts';

/** What happened when a status change was attempted. */
export type TransitionOutcome =
  | { kind: 'changed'; order: OrderRecord }
  | { kind: 'refused'; order: OrderRecord }
  | { kind: 'not-found' };

/** Statuses that end an order unpaid: its discount code's use is given back. */
const RELEASES_DISCOUNT: ReadonlySet<OrderStatus> = new Set(['PAYMENT_FAILED', 'CANCELLED']);

/**
 * The one way an order changes status (mutations and the saga worker alike): allowed by the
 * state machine, and status + history row (with its actor: the saga's changes are SYSTEM's) +
 * OrderStatusChanged outbox row (+ the release of its discount code's use, when it ends unpaid)
 * in the caller's transaction, so they commit together or not at all.
 */
export class OrderTransitions {
  constructor(
    private readonly repository: OrderRepository,
    private readonly discounts: DiscountRepository,
  ) {}

  async transition(
    tx: Tx,
    orderId: string,
    to: OrderStatus,
    reason: string | null,
    requestId: string | undefined,
    actor: OrderActor = 'SYSTEM',
  ): Promise<TransitionOutcome> {
    const order = await this.repository.lockForUpdate(tx, orderId);
    if (!order) return { kind: 'not-found' };
    return this.transitionLocked(tx, order, to, reason, requestId, actor);
  }

  /** `transition` of an order this transaction already locked (`OrderRepository.lockForUpdate`). */
  async transitionLocked(
    tx: Tx,
    order: OrderRecord,
    to: OrderStatus,
    reason: string | null,
    requestId: string | undefined,
    actor: OrderActor = 'SYSTEM',
  ): Promise<Exclude<TransitionOutcome, { kind: 'not-found' }>> {
    if (!canTransition(order.status, to)) return { kind: 'refused', order };
    const changed = await this.repository.recordTransition(tx, order, to, reason, actor);
    if (RELEASES_DISCOUNT.has(to)) await this.discounts.release(tx, order.id);
    await appendToOutbox(tx, outboxSource, [
      createEvent(
        'OrderStatusChanged',
        order.id,
        { orderId: order.id, userId: order.userId, from: order.status, to, reason },
        requestId,
      ),
    ]);
    return { kind: 'changed', order: changed };
  }
}
