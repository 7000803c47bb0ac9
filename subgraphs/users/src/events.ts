import type { ConsumedEventHandler, EventConsumerSpec } from '@microshop/events';

/** The users domain publishes nothing, so it has no outbox source and no relay. */

/** Consumer group that saves checkout addresses to address books (the bus prefixes the namespace). */
export const ADDRESS_BOOK_GROUP = 'users-address-book';

/** The users subgraph's consumer: OrderPlaced's addresses into the buyer's address book. */
export function consumers(handlers: { orders: ConsumedEventHandler }): EventConsumerSpec[] {
  return [{ group: ADDRESS_BOOK_GROUP, topics: ['orders'], handle: handlers.orders }];
}
