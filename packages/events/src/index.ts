export * from './envelope.ts';
export {
  deadLetterTopic,
  defaultRetryPolicy,
  groupId,
  type ConsumerLag,
  type Delivery,
  type EventBus,
  type EventHandler,
  type ReplayResult,
  type RetryPolicy,
  type SubscribeOptions,
  type Subscription,
} from './bus.ts';
export { createEventBus, type EventBusDependencies } from './factory.ts';
export {
  appendToOutbox,
  startOutboxRelay,
  type OutboxRelay,
  type OutboxRelayOptions,
} from './outbox.ts';
export {
  startEventConsumer,
  type ConsumedEventHandler,
  type EventConsumerOptions,
  type EventConsumerSpec,
  type EventContext,
} from './consumer.ts';
export type { DatabaseNotifications } from './pg.ts';
export type { KafkaConsumerTuning } from './kafka-bus.ts';
export {
  startEventRetention,
  type EventRetention,
  type EventRetentionOptions,
  type SweepResult,
} from './retention.ts';
