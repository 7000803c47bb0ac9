import type { Tx } from '@microshop/db';
import type { DomainEvent, EventContext } from '@microshop/events';
import type { OrderStatus } from './order-state-machine.ts';
import type { OrderTransitions } from './order-transitions.ts';

interface StatusChange {
  orderId: string;
  to: OrderStatus;
  reason: string | null;
}

/** The status an outcome event moves its order to; null for events that settle nothing. */
export function statusChangeOf(event: DomainEvent): StatusChange | null {
  switch (event.type) {
    case 'StockRejected':
      return { orderId: event.payload.orderId, to: 'CANCELLED', reason: event.payload.reason };
    case 'PaymentAuthorized':
      return { orderId: event.payload.orderId, to: 'CONFIRMED', reason: null };
    case 'PaymentDeclined':
      return { orderId: event.payload.orderId, to: 'PAYMENT_FAILED', reason: event.payload.reason };
    default:
      return null;
  }
}

/**
 * Applies saga outcomes to their orders inside the consumer's transaction (which also records
 * the event as processed). An outcome that no longer applies (the customer cancelled first) is
 * refused by the state machine and changes nothing.
 */
export class SagaOutcomes {
  constructor(private readonly transitions: OrderTransitions) {}

  handleOutcomeEvent = async (tx: Tx, event: DomainEvent, context: EventContext): Promise<void> => {
    const change = statusChangeOf(event);
    if (!change) return;
    const log = context.log.child({ orderId: change.orderId });
    const outcome = await this.transitions.transition(
      tx,
      change.orderId,
      change.to,
      change.reason,
      event.requestId,
    );
    switch (outcome.kind) {
      case 'changed':
        log.info({ to: change.to, eventType: event.type }, 'order status changed by the saga');
        return;
      case 'refused':
        log.info(
          { status: outcome.order.status, to: change.to, eventType: event.type },
          'saga outcome no longer applies to the order: ignored',
        );
        return;
      case 'not-found':
        // Orders are committed before their events exist, so this is a bug or a foreign event:
        // failing sends it to the dead letter, where it can be looked at.
        throw new Error(`${event.type} for unknown order ${change.orderId}`);
    }
  };
}
