import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '@microshop/config';
import type { Db } from '@microshop/db';
import { createLogger, type Logger } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  type TestDatabase,
} from '@microshop/testing';
import {
  createEventBus,
  deadLetterTopic,
  type EventBus,
  type EventBusDependencies,
  type Topic,
} from '../src/index.ts';

/** What the contract tests need to see of a bus beyond its port: raw writes and its dead letters. */
export interface BusHarness {
  name: 'postgres-log' | 'kafka';
  config: Config;
  bus: EventBus;
  /** Puts a message on a topic without going through `publish` (to test invalid envelopes). */
  injectRaw(topic: Topic, key: string, value: unknown): Promise<void>;
  /** Waits until the dead letter holds at least `count` entries and returns them. */
  deadLetters(count: number): Promise<DeadLetterSeen[]>;
  /** Whether the bus still keeps offsets of the group (its full name, namespace included). */
  hasGroup(group: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface DeadLetterSeen {
  key: string;
  error: string;
  attempts: number;
  /** The dead-lettered message as it was on the bus. */
  value: unknown;
}

export const implementations = ['postgres-log', 'kafka'] as const;

/** Short retries and Kafka timings, so a test file stays within seconds. */
export const fastBus: Omit<EventBusDependencies, 'db' | 'logger'> = {
  retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 100 },
  pollIntervalMs: 500,
  kafka: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, maxWaitTimeMs: 200 },
};

export function testLogger(): Logger {
  return createLogger('events-test', { logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export function testConfig(
  name: BusHarness['name'],
  database: TestDatabase,
  namespace: string,
): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    NAMESPACE: namespace,
    ...(name === 'kafka' ? { KAFKA_BROKERS: requireBackend('KAFKA_BROKERS') } : {}),
  });
}

export async function createBusHarness(
  name: BusHarness['name'],
  database: TestDatabase,
  namespace: string,
  logger: Logger,
): Promise<BusHarness> {
  const config = testConfig(name, database, namespace);
  const bus = await createEventBus(config, { db: database.prisma, logger, ...fastBus });
  return name === 'kafka'
    ? kafkaHarness(config, bus, namespace)
    : postgresHarness(config, bus, database.prisma, namespace);
}

/** What one implementation's describe block tests with; set by the hooks of `useBusHarness`. */
export interface BusFixture {
  readonly database: TestDatabase;
  readonly harness: BusHarness;
  /** Closes `closable` after the block's tests, before the harness and the database. */
  closeAfterAll<T extends Closable>(closable: T): T;
}

interface Closable {
  close(): Promise<void>;
}

/**
 * Registers in the calling describe block a fresh database and a harness of `implementation` in
 * a namespace of its own before the tests, and their closing after them.
 */
export function useBusHarness(
  implementation: BusHarness['name'],
  namespacePrefix: string,
  logger: Logger,
): BusFixture {
  let database: TestDatabase | undefined;
  let harness: BusHarness | undefined;
  const closing: Closable[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    harness = await createBusHarness(
      implementation,
      database,
      testNamespace(namespacePrefix),
      logger,
    );
  });
  afterAll(async () => {
    await Promise.all(closing.map((closable) => closable.close()));
    await harness?.close();
    await database?.drop();
  });
  const setUp = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the bus harness is set up in beforeAll');
    return value;
  };
  return {
    get database() {
      return setUp(database);
    },
    get harness() {
      return setUp(harness);
    },
    closeAfterAll(closable) {
      closing.push(closable);
      return closable;
    },
  };
}

function postgresHarness(config: Config, bus: EventBus, db: Db, namespace: string): BusHarness {
  return {
    name: 'postgres-log',
    config,
    bus,
    async injectRaw(topic, key, value) {
      await db.eventLogEntry.create({
        data: { topic: namespace + topic, key, envelope: value as object },
      });
    },
    async deadLetters(count) {
      return eventually(async () => {
        const rows = await db.deadLetter.findMany({ orderBy: { sequence: 'asc' } });
        return rows.length >= count
          ? rows.map((row) => ({
              key: row.key,
              error: row.error,
              attempts: row.attempts,
              value: row.envelope,
            }))
          : undefined;
      });
    },
    async hasGroup(group) {
      return (await db.consumerOffset.count({ where: { groupId: group } })) > 0;
    },
    close: () => bus.close(),
  };
}

async function kafkaHarness(config: Config, bus: EventBus, namespace: string): Promise<BusHarness> {
  if (config.eventBus.kind !== 'kafka') throw new Error('not a Kafka configuration');
  const { default: kafkajs } = await import('kafkajs');
  const kafka: Kafka = new kafkajs.Kafka({
    clientId: 'events-test',
    brokers: config.eventBus.brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  // One reader of the dead-letter topic for the whole file: joining a group takes a while.
  const seen: DeadLetterSeen[] = [];
  const reader = kafka.consumer({
    groupId: `${namespace}dead-letter-reader`,
    sessionTimeout: 6_000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 200,
  });
  await reader.connect();
  await reader.subscribe({ topic: deadLetterTopic(namespace), fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const header = (name: string) => message.headers?.[name]?.toString() ?? '';
      const text = message.value?.toString() ?? '';
      seen.push({
        key: message.key?.toString() ?? '',
        error: header('dead-letter-error'),
        attempts: Number(header('dead-letter-attempts')),
        value: parseOrText(text),
      });
    },
  });
  return {
    name: 'kafka',
    config,
    bus,
    async injectRaw(topic, key, value) {
      await producer.send({
        topic: namespace + topic,
        acks: -1,
        messages: [{ key, value: typeof value === 'string' ? value : JSON.stringify(value) }],
      });
    },
    deadLetters: (count) => eventually(async () => (seen.length >= count ? [...seen] : undefined)),
    async hasGroup(group) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { groups } = await admin.listGroups();
        return groups.some((listed) => listed.groupId === group);
      } finally {
        await admin.disconnect();
      }
    },
    async close() {
      await Promise.all([reader.disconnect(), producer.disconnect()]);
      await bus.close();
    },
  };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Polls `probe` until it returns a value; fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Resolves when `predicate` holds for `items`, checking as they arrive. */
export function waitFor<T>(
  items: T[],
  predicate: (items: T[]) => boolean,
  timeoutMs = 15_000,
): Promise<T[]> {
  return eventually(async () => (predicate(items) ? items : undefined), timeoutMs);
}
