import type { Config } from '@microshop/config';
import type { Db } from '@microshop/db';
import type { Logger } from '@microshop/runtime';
import type { EventBus, RetryPolicy } from './bus.ts';
import { createKafkaEventBus, type KafkaConsumerTuning } from './kafka-bus.ts';
import { DatabaseNotifications } from './pg.ts';
import { createPostgresLogEventBus } from './postgres-log-bus.ts';

export interface EventBusDependencies {
  db: Db;
  logger: Logger;
  /** Retry policy of every subscription (tests shorten it). */
  retry?: Partial<RetryPolicy>;
  /** Postgres log: idle poll of a consumer between notifications. */
  pollIntervalMs?: number;
  /** Kafka: consumer session and fetch timings (tests shorten them). */
  kafka?: KafkaConsumerTuning;
}

/**
 * The event bus chosen by the configuration (Kafka when KAFKA_BROKERS is set, else the Postgres
 * log), initialized: Kafka topics exist and the producer is connected when this resolves.
 */
export async function createEventBus(
  config: Config,
  dependencies: EventBusDependencies,
): Promise<EventBus> {
  const { db, logger, retry } = dependencies;
  const databaseUrl = config.database.kind === 'postgres' ? config.database.url : undefined;
  const namespace = config.namespace;
  const eventBusLogger = logger.child({ component: 'event-bus' });
  let bus: EventBus;
  if (config.eventBus.kind === 'kafka') {
    bus = await createKafkaEventBus({
      brokers: config.eventBus.brokers,
      clientId: config.eventBus.clientId,
      partitions: config.eventBus.topicPartitions,
      namespace,
      logger: eventBusLogger,
      ...(retry ? { retry } : {}),
      ...(dependencies.kafka ? { consumer: dependencies.kafka } : {}),
      ...(databaseUrl
        ? { databaseNotifications: new DatabaseNotifications(databaseUrl, eventBusLogger) }
        : {}),
    });
  } else {
    if (!databaseUrl) {
      throw new Error(
        'The Postgres-log event bus needs the database URL: run `npm start` (it passes the embedded ' +
          "database's URL) or set DATABASE_URL.",
      );
    }
    bus = createPostgresLogEventBus({
      db,
      databaseUrl,
      namespace,
      logger: eventBusLogger,
      ...(retry ? { retry } : {}),
      ...(dependencies.pollIntervalMs ? { pollIntervalMs: dependencies.pollIntervalMs } : {}),
    });
  }
  await bus.init();
  return bus;
}
