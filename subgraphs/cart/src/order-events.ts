import { variantOf, type DomainEvent, type EventContext } from '@microshop/events';
import type { CartStore } from './cart-store.ts';

/**
 * The cart's part of the order saga: when an order is placed, the units it took leave the
 * buyer's cart (what was added meanwhile stays). The store applies each order id once, so a
 * redelivered event, even one whose first handling reached the store but not its commit,
 * removes nothing twice. Other events of the topic are not the cart's business.
 */
export class CartSaga {
  constructor(private readonly store: CartStore) {}

  /** A ConsumedEventHandler; the store, not the consumer's transaction, is where carts change. */
  handleOrderEvent = async (
    _tx: unknown,
    event: DomainEvent,
    context: Pick<EventContext, 'log'>,
  ): Promise<void> => {
    if (event.type !== 'OrderPlaced') return;
    const { orderId, userId, items } = event.payload;
    const applied = await this.store.removeOrderedItems(
      userId,
      orderId,
      items.map((item) => ({ variantId: variantOf(item), quantity: item.quantity })),
    );
    context.log.info(
      { orderId, userId, applied },
      applied ? 'ordered units left the cart' : 'order already applied to the cart',
    );
  };
}
