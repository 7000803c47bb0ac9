import type { ConsumedEventHandler, EventConsumerSpec } from '@microshop/events';

/** The outbox source of every event users writes (its relay publishes them). */
export const outboxSource = 'users';

/** Consumer group that mails account tokens (the bus prefixes config.namespace). */
export const USERS_MAIL_CONSUMER_GROUP = 'users-mail';

/** Users' consumer: AccountEmailRequested (topic users) delivered through the Mailer. */
export function consumers(handlers: { mail: ConsumedEventHandler }): EventConsumerSpec[] {
  return [{ group: USERS_MAIL_CONSUMER_GROUP, topics: ['users'], handle: handlers.mail }];
}
