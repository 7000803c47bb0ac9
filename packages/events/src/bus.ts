import type { DomainEvent, Topic } from './envelope.ts';
import type { DatabaseNotifications } from './pg.ts';

/** How a failing handler is retried before its event goes to the dead letter. */
export interface RetryPolicy {
  /** Handler attempts in all (1 = no retry). */
  attempts: number;
  /** Wait before the second attempt; doubles each time up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
};

/** Where a delivered event came from, for handlers that log or measure. */
export interface Delivery {
  /** The topic without the namespace prefix. */
  topic: Topic;
  /** The partition key: the event's aggregateId. */
  key: string;
  /** 1 for the first try, 2 for the first retry... */
  attempt: number;
}

/** Handles one valid event; throwing means "retry, then dead-letter". */
export type EventHandler = (event: DomainEvent, delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Consumer group, without the namespace (the bus prefixes it). Each group receives every event
   * of its topics; the instances of one group share them.
   */
  group: string;
  /** Topics without the namespace prefix. */
  topics: readonly Topic[];
  handler: EventHandler;
  /**
   * Where a group with no stored offset starts: 'earliest' (default: nothing published before the
   * group first ran is missed) or 'latest' (only what is published from now on).
   */
  startFrom?: 'earliest' | 'latest';
  /** Overrides the bus's retry policy for this subscription. */
  retry?: Partial<RetryPolicy>;
  /**
   * The group exists for this subscription alone (a name no other instance uses, such as one per
   * process): closing the subscription deletes the group's offsets, so such groups do not pile
   * up with every restart. A crashed process leaves its group behind (Kafka expires empty groups
   * after its offsets retention).
   */
  ephemeral?: boolean;
  /**
   * Told how far the group is behind whenever the bus learns it at no extra cost: Kafka at each
   * fetched batch (its high watermark) and after each committed event; the Postgres log after
   * each read and each committed event. Called synchronously on the consuming path: keep it cheap.
   */
  onLag?: (lag: ConsumerLag) => void;
}

/** How many events of a topic (partition, on Kafka) the group has yet to commit, as last known. */
export interface ConsumerLag {
  /** The topic without the namespace prefix. */
  topic: Topic;
  /** Kafka's partition; absent on the Postgres log, which has none. */
  partition?: number;
  events: number;
}

export interface Subscription {
  /**
   * Stops consuming. An event whose handling is interrupted is not committed, so the next
   * consumer of the group gets it again.
   */
  close(): Promise<void>;
}

/**
 * The event bus port: Kafka, or the Postgres log when no broker is configured.
 *
 * Delivery is at least once, in order per key (aggregateId). An offset is committed only after
 * the handler resolved; a handler that keeps failing is retried with exponential backoff and then
 * its event goes to the dead letter (Kafka: topic `<namespace>dead-letter`; Postgres: the
 * dead_letters table) with the error, and consumption moves on. Invalid envelopes go straight
 * to the dead letter.
 */
export interface EventBus {
  readonly kind: 'kafka' | 'postgres-log';
  /** Prefix of every topic and consumer group of this bus (config.namespace). */
  readonly namespace: string;
  init(): Promise<void>;
  close(): Promise<void>;
  /** Resolves once every event is durably stored by the bus (Kafka: acks from all in-sync replicas). */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /** Resolves once the consumer is running (Kafka: has joined its group). */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Publishes every dead letter of this namespace recorded so far to its event's topic again,
   * once the cause (a bug, a missing row) is fixed. Every group of the topic receives it: those
   * that handled it before skip it (startEventConsumer's processed_events), the one that failed
   * handles it now. A letter whose envelope is invalid cannot be published and stays where it is
   * (Postgres: the dead_letters table; Kafka: the dead-letter topic, behind the replay's offset).
   */
  replayDeadLetters(): Promise<ReplayResult>;
  /**
   * LISTEN/NOTIFY on the service's database, when the bus was given its URL: the outbox relay
   * wakes up on commits through it instead of waiting for its next poll.
   */
  readonly databaseNotifications: DatabaseNotifications | undefined;
}

/** What a replay of the dead letters did. */
export interface ReplayResult {
  /** Letters published to their topic again (and removed from the dead letters, on Postgres). */
  replayed: number;
  /** Letters met whose envelope is invalid: not published. */
  unreplayable: number;
}

/** The full name of a consumer group: the namespace keeps tenants and test files apart. */
export function groupId(namespace: string, group: string): string {
  return `${namespace}${group}`;
}

/** The name of the dead-letter topic of a namespace. */
export function deadLetterTopic(namespace: string): string {
  return `${namespace}dead-letter`;
}
