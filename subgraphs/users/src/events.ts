import type { ConsumedEventHandler, EventConsumerSpec } from '@microshop/events';

/** The outbox source of every event users writes (its relay publishes them). */
export const outboxSource = 'users';

/** Consumer group that mails account tokens (the bus prefixes config.namespace). */
export const USERS_MAIL_CONSUMER_GROUP = 'users-mail';

/** Consumer group that saves checkout addresses to address books (the bus prefixes the namespace). */
const ADDRESS_BOOK_GROUP = 'users-address-book';

/**
 * Users' consumers: AccountEmailRequested (topic users) delivered through the Mailer, and
 * OrderPlaced's addresses (topic orders) into the buyer's address book.
 */
export function consumers(handlers: {
  mail: ConsumedEventHandler;
  orders: ConsumedEventHandler;
}): EventConsumerSpec[] {
  return [
    { group: USERS_MAIL_CONSUMER_GROUP, topics: ['users'], handle: handlers.mail },
    { group: ADDRESS_BOOK_GROUP, topics: ['orders'], handle: handlers.orders },
  ];
}
