import type { Consumer, Kafka, LogEntry, Producer, ProducerBatch } from 'kafkajs';
import { withTimeout, type Logger } from '@microshop/runtime';
import {
  deadLetterTopic,
  defaultRetryPolicy,
  groupId,
  type EventBus,
  type ReplayResult,
  type RetryPolicy,
  type SubscribeOptions,
  type Subscription,
} from './bus.ts';
import { deliver } from './delivery.ts';
import { topicOf, topics, validEvent, type DomainEvent, type Topic } from './envelope.ts';
import { MENDED_KAFKAJS_VERSION, mendKafkajsRequestQueue } from './kafkajs-request-queue.ts';
import type { DatabaseNotifications } from './pg.ts';

export interface KafkaConsumerTuning {
  /** How long the broker waits for a silent consumer before rebalancing its partitions away. */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Longest wait of an empty fetch; bounds how long closing a consumer takes. */
  maxWaitTimeMs?: number;
}

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  namespace: string;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  consumer?: KafkaConsumerTuning;
  /** Partitions of each topic created by init (on a fresh broker). */
  partitions?: number;
  replicationFactor?: number;
  databaseNotifications?: DatabaseNotifications;
}

const ACKS_ALL = -1;

interface TopicPosition {
  topic: string;
  partition: number;
  offset: string;
}
const JOIN_TIMEOUT_MS = 60_000;

/** Kafka's answers to a commit from a member the group no longer counts on for that partition. */
const FENCED_COMMIT_ERRORS = new Set([
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'REBALANCE_IN_PROGRESS',
]);

function isFencedCommit(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && FENCED_COMMIT_ERRORS.has(type);
}
const REPLAY_TIMEOUT_MS = 120_000;

/**
 * The Kafka event bus: topic `<namespace><domain>` per owning domain, key = aggregateId, so one
 * aggregate's events share a partition and stay ordered. kafkajs is loaded here, only when Kafka
 * is configured.
 */
export async function createKafkaEventBus(options: KafkaBusOptions): Promise<EventBus> {
  const { default: kafkajs } = await import('kafkajs');
  const { namespace, logger } = options;
  const mend = mendKafkajsRequestQueue();
  if (!mend.mended)
    logger.warn(
      { kafkajs: mend.version, mendedFor: MENDED_KAFKAJS_VERSION },
      'kafkajs request queue not mended for this version: idle connections may spin a timer',
    );
  const busRetry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const tuning = {
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    maxWaitTimeMs: 500,
    ...options.consumer,
  };
  const kafka: Kafka = new kafkajs.Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: kafkajs.logLevel.WARN,
    logCreator: () => (entry) => logKafkaEntry(logger, entry),
  });
  let producer: Promise<Producer> | undefined;

  /**
   * The connected producer, created on first use and again after a failed send: kafkajs does not
   * always recover a producer whose connections a broker outage broke, a fresh one does.
   * Bounded retries: during an outage a send fails after ~10 s instead of hanging, and the
   * outbox relay (which keeps the rows) tries again; consumers dedupe what gets sent twice.
   */
  function connectedProducer(): Promise<Producer> {
    producer ??= (async () => {
      const created = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
        retry: { retries: 5 },
      });
      await created.connect();
      return created;
    })();
    return producer;
  }

  async function send(batch: ProducerBatch): Promise<void> {
    const current = connectedProducer();
    try {
      await (await current).sendBatch({ ...batch, acks: ACKS_ALL });
    } catch (error) {
      if (producer === current) {
        producer = undefined;
        void current.then((broken) => broken.disconnect()).catch(() => undefined);
      }
      throw error;
    }
  }

  function groupConsumer(group: string): Consumer {
    return kafka.consumer({
      groupId: group,
      sessionTimeout: tuning.sessionTimeoutMs,
      heartbeatInterval: tuning.heartbeatIntervalMs,
      rebalanceTimeout: tuning.sessionTimeoutMs,
      maxWaitTimeInMs: tuning.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
  }

  const subscriptions = new Set<Subscription>();
  let initialized: Promise<void> | undefined;
  const deadLetters = deadLetterTopic(namespace);

  async function createTopics(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = [...topics.map((topic) => namespace + topic), deadLetters].filter(
        (topic) => !existing.has(topic),
      );
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: options.partitions ?? 3,
          replicationFactor: options.replicationFactor ?? 1,
        })),
      });
      logger.info({ topics: missing }, 'kafka topics created');
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * For a group with no committed offsets: the current end of each of its topics' partitions,
   * where a consumer asked for the latest events only starts.
   */
  async function endOffsetsOfNewGroup(
    group: string,
    topicNames: string[],
  ): Promise<TopicPosition[]> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: group, topics: topicNames });
      const isNew = committed.every(({ partitions }) =>
        partitions.every((partition) => partition.offset === '-1'),
      );
      if (!isNew) return [];
      const ends = await Promise.all(
        topicNames.map(async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
            topic,
            partition,
            offset: high,
          })),
        ),
      );
      return ends.flat();
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes an emptied group and its offsets; a failure is logged (the broker expires it later). */
  async function deleteGroup(group: string, log: Logger): Promise<void> {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([group]);
    } catch (error) {
      log.warn({ err: error }, 'ephemeral consumer group not deleted');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async function publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const byTopic = new Map<
      string,
      { key: string; value: string; headers: Record<string, string> }[]
    >();
    for (const event of events) {
      const topic = namespace + topicOf[event.type];
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: event.aggregateId,
        value: JSON.stringify(event),
        headers: { 'event-type': event.type, 'event-id': event.id },
      });
      byTopic.set(topic, messages);
    }
    await send({
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  /**
   * Reads the dead-letter topic as the group `<namespace>dead-letter-replay` from its committed
   * offsets up to each partition's end as it was when the replay began, publishing each valid
   * envelope to its topic before committing past it (a replay cut short publishes again what it
   * had not committed: at least once, as every delivery). Letters dead-lettered during the replay
   * wait for the next one.
   */
  async function replayDeadLetters(): Promise<ReplayResult> {
    const group = groupId(namespace, 'dead-letter-replay');
    const log = logger.child({ group, bus: 'kafka' });
    /** Partition -> the offset the replay reads up to (exclusive). */
    const ends = new Map<number, bigint>();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [deadLetters] });
      const committedAt = new Map(
        (committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]),
      );
      for (const { partition, high, low } of await admin.fetchTopicOffsets(deadLetters)) {
        const from = committedAt.get(partition) ?? -1n;
        const start = from < BigInt(low) ? BigInt(low) : from;
        if (start < BigInt(high)) ends.set(partition, BigInt(high));
      }
    } finally {
      await admin.disconnect();
    }
    const result: ReplayResult = { replayed: 0, unreplayable: 0 };
    if (ends.size === 0) return result;

    const consumer = groupConsumer(group);
    let finished!: () => void;
    const caughtUp = new Promise<void>((resolve) => (finished = resolve));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [deadLetters], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = ends.get(partition);
          const offset = BigInt(message.offset);
          if (end === undefined || offset >= end) return;
          const event = validEvent(message.value?.toString() ?? '');
          if (event) {
            await publish([event]);
            result.replayed += 1;
          } else {
            result.unreplayable += 1;
            log.warn({ partition, offset: message.offset }, 'dead letter with an invalid envelope');
          }
          await consumer.commitOffsets([
            { topic: deadLetters, partition, offset: (offset + 1n).toString() },
          ]);
          if (offset + 1n >= end) {
            ends.delete(partition);
            if (ends.size === 0) finished();
          }
        },
      });
      await withTimeout(
        caughtUp,
        REPLAY_TIMEOUT_MS,
        `the dead-letter replay did not finish within ${REPLAY_TIMEOUT_MS} ms`,
      );
    } finally {
      await consumer.disconnect();
    }
    log.info(result, 'dead letters replayed');
    return result;
  }

  async function subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
    const group = groupId(namespace, subscribeOptions.group);
    const retry: RetryPolicy = { ...busRetry, ...subscribeOptions.retry };
    const log = logger.child({ group, bus: 'kafka' });
    const stop = new AbortController();
    const consumer = groupConsumer(group);
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      log.error({ err: payload.error, restart: payload.restart }, 'kafka consumer crashed'),
    );

    const topicNames = subscribeOptions.topics.map((topic) => namespace + topic);
    // kafkajs would look the end up only at its first fetch, after subscribe resolved, and miss
    // what was published in between: the end is taken now and sought to on joining (the
    // listener runs before the first fetch).
    const startPositions =
      subscribeOptions.startFrom === 'latest' ? await endOffsetsOfNewGroup(group, topicNames) : [];
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const position of startPositions.splice(0)) {
        if (payload.memberAssignment[position.topic]?.includes(position.partition))
          consumer.seek(position);
      }
    });
    const reportLag = kafkaLagReporter(consumer, namespace, subscribeOptions.onLag);
    await consumer.connect();
    await consumer.subscribe({ topics: topicNames, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // Partitions are independent: ordering holds within each one (per key).
      partitionsConsumedConcurrently: options.partitions ?? 3,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        // Stopping: leave the rest uncommitted for the group's next consumer.
        if (stop.signal.aborted) return;
        const key = message.key?.toString() ?? '';
        const raw = message.value?.toString() ?? '';
        const outcome = await deliver({
          raw,
          delivery: { topic: topic.slice(namespace.length) as Topic, key },
          handler: subscribeOptions.handler,
          retry,
          logger: log,
          signal: stop.signal,
          heartbeat,
          deadLetter: async ({ error, attempts }) => {
            await send({
              topicMessages: [
                {
                  topic: deadLetters,
                  messages: [
                    {
                      key,
                      value: raw,
                      headers: {
                        'dead-letter-error': error,
                        'dead-letter-attempts': String(attempts),
                        'dead-letter-group': group,
                        'original-topic': topic,
                        'original-partition': String(partition),
                        'original-offset': message.offset,
                      },
                    },
                  ],
                },
              ],
            });
          },
        });
        if (outcome === 'interrupted') return;
        // Kafka's committed offset is the next one to read.
        const next = BigInt(message.offset) + 1n;
        try {
          await consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
        } catch (error) {
          // The partition moved to another member meanwhile (a rebalance): kafkajs gives up on
          // the consumer for good if this escapes. Left uncommitted, the event goes to the new
          // owner, whose processed_events check skips it; this member rejoins at its heartbeat.
          if (!isFencedCommit(error)) throw error;
          log.warn(
            { topic, partition, offset: message.offset },
            'offset commit fenced by a rebalance',
          );
          return;
        }
        reportLag?.(topic, partition, next);
      },
    });
    try {
      await withTimeout(
        joined,
        JOIN_TIMEOUT_MS,
        `consumer group ${group} did not join within ${JOIN_TIMEOUT_MS} ms`,
      );
    } catch (error) {
      await consumer.disconnect();
      throw error;
    }

    const subscription: Subscription = {
      async close() {
        if (stop.signal.aborted) return;
        stop.abort();
        await consumer.disconnect();
        if (subscribeOptions.ephemeral) await deleteGroup(group, log);
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    kind: 'kafka',
    namespace,
    databaseNotifications: options.databaseNotifications,
    // Idempotent: createEventBus already initializes the bus it returns.
    init() {
      initialized ??= createTopics().then(async () => {
        await connectedProducer();
      });
      return initialized;
    },
    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      const current = producer;
      producer = undefined;
      await current?.then((connected) => connected.disconnect()).catch(() => undefined);
      await options.databaseNotifications?.close();
    },
    publish,
    subscribe,
    replayDeadLetters,
  };
}

/**
 * With an `onLag` listener: the lag of a partition is its end at the last fetch (the batch's high
 * watermark) minus the next offset to read, reported when a batch starts and after each commit.
 * Events published since that fetch count from the next one. Returns the after-commit reporter.
 */
function kafkaLagReporter(
  consumer: Consumer,
  namespace: string,
  onLag: SubscribeOptions['onLag'],
): ((topic: string, partition: number, nextOffset: bigint) => void) | undefined {
  if (!onLag) return undefined;
  const highWatermarks = new Map<string, bigint>();
  const report = (topic: string, partition: number, highWatermark: bigint, next: bigint) =>
    onLag({
      topic: topic.slice(namespace.length) as Topic,
      partition,
      events: Number(highWatermark > next ? highWatermark - next : 0n),
    });
  consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => {
    const highWatermark = BigInt(payload.highWatermark);
    highWatermarks.set(`${payload.topic}:${payload.partition}`, highWatermark);
    // firstOffset is null for a batch of filtered records only (typed as a string regardless).
    if (payload.firstOffset !== null)
      report(payload.topic, payload.partition, highWatermark, BigInt(payload.firstOffset));
  });
  return (topic, partition, next) => {
    const highWatermark = highWatermarks.get(`${topic}:${partition}`);
    if (highWatermark !== undefined) report(topic, partition, highWatermark, next);
  };
}

const BOUNDED_RETRIES_WARNING =
  'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/** kafkajs log lines into the service's pino logger. */
function logKafkaEntry(logger: Logger, entry: LogEntry): void {
  const { message, ...fields } = entry.log;
  const line = { kafka: entry.namespace, ...fields };
  // Bounded producer retries are deliberate (see the producer): not worth a warning per process.
  if (message === BOUNDED_RETRIES_WARNING) {
    logger.debug(line, message);
    return;
  }
  switch (entry.level) {
    case kafkajsLevel.ERROR:
      logger.error(line, message);
      break;
    case kafkajsLevel.WARN:
      logger.warn(line, message);
      break;
    case kafkajsLevel.INFO:
      logger.info(line, message);
      break;
    default:
      logger.debug(line, message);
  }
}

/** kafkajs's numeric levels (its `logLevel` enum, without importing the module eagerly). */
const kafkajsLevel = { ERROR: 1, WARN: 2, INFO: 4 } as const;
