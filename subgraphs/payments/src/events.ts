import type { ConsumedEventHandler, EventConsumerSpec } from '@microshop/events';

/** The outbox source of every event payments writes (its relay publishes them). */
export const outboxSource = 'payments';

/** Consumer group of payments (the bus prefixes config.namespace). */
export const PAYMENTS_CONSUMER_GROUP = 'payments';

/**
 * Payments' consumer, its step of the order saga: OrderPlaced, OrderStatusChanged and
 * ReturnApproved (orders), StockReserved (catalog).
 */
export function consumers(handlers: { saga: ConsumedEventHandler }): EventConsumerSpec[] {
  return [{ group: PAYMENTS_CONSUMER_GROUP, topics: ['orders', 'catalog'], handle: handlers.saga }];
}
