import type { Tx } from '@microshop/db';
import type { DomainEvent, EventContext } from '@microshop/events';
import type { AfterOrderRepository, NewTimelineEntry } from './after-order.repository.ts';

/** The timeline entry a payments event makes, at the time the event happened; null for others. */
function timelineEntryOf(event: DomainEvent): NewTimelineEntry | null {
  const at = new Date(event.occurredAt);
  switch (event.type) {
    case 'PaymentAuthorized':
    case 'PaymentCaptured':
    case 'PaymentRefunded':
      return {
        orderId: event.payload.orderId,
        kind:
          event.type === 'PaymentAuthorized'
            ? 'PAYMENT_AUTHORIZED'
            : event.type === 'PaymentCaptured'
              ? 'PAYMENT_CAPTURED'
              : 'PAYMENT_REFUNDED',
        actor: 'SYSTEM',
        ...event.payload.amount,
        at,
      };
    case 'PaymentDeclined':
      return {
        orderId: event.payload.orderId,
        kind: 'PAYMENT_DECLINED',
        actor: 'SYSTEM',
        note: event.payload.reason,
        at,
      };
    case 'RefundIssued':
      return {
        orderId: event.payload.orderId,
        kind: 'REFUND_ISSUED',
        actor: event.payload.actor,
        ...event.payload.amount,
        note: event.payload.reason,
        returnRequestId: event.payload.returnRequestId,
        at,
      };
    default:
      return null;
  }
}

/**
 * Writes payments' events into the timeline of their orders, inside the orders worker's
 * transaction (which records the event as processed, so a redelivery writes nothing twice). A
 * refund that pays for a return marks that return REFUNDED.
 */
export class TimelineEvents {
  constructor(private readonly repository: AfterOrderRepository) {}

  handleTimelineEvent = async (
    tx: Tx,
    event: DomainEvent,
    context: EventContext,
  ): Promise<void> => {
    const entry = timelineEntryOf(event);
    if (!entry) return;
    await this.repository.appendTimeline(tx, entry);
    if (event.type === 'RefundIssued' && event.payload.returnRequestId) {
      const refunded = await this.repository.markReturnRefunded(tx, event.payload.returnRequestId);
      context.log.info(
        { orderId: entry.orderId, returnRequestId: event.payload.returnRequestId, refunded },
        'return refunded',
      );
    }
  };
}
