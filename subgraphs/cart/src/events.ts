import type { ConsumedEventHandler, EventConsumerSpec, RetryPolicy } from '@microshop/events';

/** The cart publishes nothing, so it has no outbox source and no relay. */

/** The cart's consumer group on the orders topic (the bus prefixes the namespace). */
export const CART_CONSUMER_GROUP = 'cart-orders';

/**
 * About three minutes of retries, long enough to ride out a Redis restart. Waits stay at most 5 s:
 * the consumer heartbeats only between attempts, and a longer silence would cost it its place in
 * the Kafka group.
 */
export const CART_CONSUMER_RETRY: RetryPolicy = {
  attempts: 40,
  initialDelayMs: 500,
  maxDelayMs: 5_000,
};

/** The cart's consumer: its step of the order saga, emptying carts on OrderPlaced. */
export function consumers(handlers: { orders: ConsumedEventHandler }): EventConsumerSpec[] {
  return [
    // A Redis outage fails every attempt: keep retrying for minutes before dead-lettering an
    // order (only this consumer group waits meanwhile).
    {
      group: CART_CONSUMER_GROUP,
      topics: ['orders'],
      handle: handlers.orders,
      retry: CART_CONSUMER_RETRY,
    },
  ];
}
