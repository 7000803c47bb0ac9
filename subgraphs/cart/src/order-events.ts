import type { DomainEvent, EventContext, RetryPolicy } from '@microshop/events';
import type { CartStore } from './cart-store.ts';

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

/**
 * The cart's part of the order saga: when an order is placed, the units it took leave the
 * buyer's cart (what was added meanwhile stays). The store applies each order id once, so a
 * redelivered event, even one whose first handling reached the store but not its commit,
 * removes nothing twice. Other events of the topic are not the cart's business.
 */
export function createOrderEventHandler(store: CartStore) {
  return async (event: DomainEvent, context: Pick<EventContext, 'log'>): Promise<void> => {
    if (event.type !== 'OrderPlaced') return;
    const { orderId, userId, items } = event.payload;
    const applied = await store.removeOrderedItems(userId, orderId, items);
    context.log.info(
      { orderId, userId, applied },
      applied ? 'ordered units left the cart' : 'order already applied to the cart',
    );
  };
}
