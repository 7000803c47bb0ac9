import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Db, Tx } from '@microshop/db';
import type { Logger } from '@microshop/runtime';
import {
  defaultRetryPolicy,
  groupId,
  type EventBus,
  type ReplayResult,
  type RetryPolicy,
  type SubscribeOptions,
  type Subscription,
} from './bus.ts';
import { deliver, errorMessage } from './delivery.ts';
import { topicOf, validEvent, type DomainEvent, type Topic } from './envelope.ts';
import { connectPg, DatabaseNotifications, EVENT_LOG_CHANNEL, Waker } from './pg.ts';

export interface PostgresLogBusOptions {
  db: Db;
  /** The database's URL (with `?schema=`): each subscription holds a connection of its own. */
  databaseUrl: string;
  namespace: string;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /** Idle poll of a consumer between notifications (a safety net: NOTIFY wakes it first). */
  pollIntervalMs?: number;
  /** Events read per query. */
  batchSize?: number;
}

interface LogRow {
  sequence: string;
  topic: string;
  key: string;
  envelope: unknown;
}

/**
 * The embedded event bus: an append-only table (event_log) read by consumer groups that keep
 * their position per topic in consumer_offsets.
 *
 * Appends to one topic are serialized by a transaction-scoped advisory lock, so sequence order is
 * commit order and a reader that has seen sequence N never later finds a smaller one appear.
 * One instance per group consumes at a time (a session advisory lock on its connection); the
 * others wait as standbys and take over when its connection ends.
 */
export function createPostgresLogEventBus(options: PostgresLogBusOptions): EventBus {
  const { db, namespace, logger } = options;
  const busRetry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const notifications = new DatabaseNotifications(options.databaseUrl, logger);
  const subscriptions = new Set<Subscription>();

  /**
   * One statement (one round trip, its own transaction): take the topics' append locks, sorted
   * so publishers of overlapping topics cannot deadlock, then insert in the given order (the
   * locks are taken before the first row draws its sequence) and notify the consumers at commit.
   */
  async function publish(events: readonly DomainEvent[], client: Db | Tx = db): Promise<void> {
    if (events.length === 0) return;
    const entries = events.map((event) => ({
      topic: namespace + topicOf[event.type],
      key: event.aggregateId,
      envelope: event,
    }));
    const lockedTopics = [...new Set(entries.map((entry) => entry.topic))].sort();
    await client.$executeRaw`
      WITH locked AS (
        SELECT count(*) FROM (
          SELECT pg_advisory_xact_lock(hashtextextended('event_log:' || topic, 0))
          FROM unnest(${lockedTopics}::text[]) AS topic
        ) AS locks
      ), notified AS (
        SELECT pg_notify(${EVENT_LOG_CHANNEL}, ${namespace})
      )
      INSERT INTO event_log (topic, key, envelope)
      SELECT entry->>'topic', entry->>'key', entry->'envelope'
      FROM locked, notified, jsonb_array_elements(${JSON.stringify(entries)}::jsonb) WITH ORDINALITY AS e(entry, position)
      ORDER BY e.position`;
  }

  /** In one transaction: the valid letters appended to the log again and removed from dead_letters. */
  async function replayDeadLetters(): Promise<ReplayResult> {
    return db.$transaction(
      async (tx) => {
        // Locked, so that replays run at once publish each letter once.
        const letters = await tx.$queryRaw<{ id: string; envelope: unknown }[]>`
          SELECT id::text, envelope FROM dead_letters WHERE starts_with(group_id, ${namespace})
          ORDER BY created_at, sequence FOR UPDATE SKIP LOCKED`;
        const events: DomainEvent[] = [];
        const replayedIds: string[] = [];
        for (const letter of letters) {
          const event = validEvent(letter.envelope);
          if (!event) continue;
          events.push(event);
          replayedIds.push(letter.id);
        }
        await publish(events, tx);
        if (replayedIds.length > 0)
          await tx.$executeRaw`DELETE FROM dead_letters WHERE id = ANY(${replayedIds}::uuid[])`;
        const result = { replayed: events.length, unreplayable: letters.length - events.length };
        logger.info(result, 'dead letters replayed');
        return result;
      },
      { timeout: 60_000 },
    );
  }

  async function subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
    const group = groupId(namespace, subscribeOptions.group);
    const topicNames = subscribeOptions.topics.map((topic) => namespace + topic);
    const retry: RetryPolicy = { ...busRetry, ...subscribeOptions.retry };
    const log = logger.child({ group, bus: 'postgres-log' });
    const stop = new AbortController();
    const waker = new Waker();
    const stopListening = await notifications.listen(EVENT_LOG_CHANNEL, waker.wake);

    let client = await connectPg(options.databaseUrl, log);
    // Created before subscribe resolves, so 'latest' means "published after this call".
    await client.query(
      `INSERT INTO consumer_offsets (group_id, topic, position)
       SELECT $1, topic, CASE WHEN $3 THEN COALESCE((SELECT max(sequence) FROM event_log l WHERE l.topic = t.topic), 0) ELSE 0 END
       FROM unnest($2::text[]) AS t(topic)
       ON CONFLICT DO NOTHING`,
      [group, topicNames, subscribeOptions.startFrom === 'latest'],
    );

    const lag = subscribeOptions.onLag
      ? postgresLagTracker({
          group,
          topicNames,
          namespace,
          batchSize,
          onLag: subscribeOptions.onLag,
        })
      : undefined;

    /** Handles one batch after the group's offsets; returns how many rows it read. */
    async function consumeBatch(connection: pg.Client): Promise<number> {
      const { rows } = await connection.query<LogRow>(
        `SELECT l.sequence::text AS sequence, l.topic, l.key, l.envelope
         FROM event_log l JOIN consumer_offsets o ON o.group_id = $1 AND o.topic = l.topic
         WHERE l.topic = ANY($2::text[]) AND l.sequence > o.position
         ORDER BY l.sequence LIMIT $3`,
        [group, topicNames, batchSize],
      );
      await lag?.afterRead(connection, rows);
      for (const row of rows) {
        const outcome = await deliver({
          raw: row.envelope,
          delivery: { topic: row.topic.slice(namespace.length) as Topic, key: row.key },
          handler: subscribeOptions.handler,
          retry,
          logger: log,
          signal: stop.signal,
          deadLetter: async ({ error, attempts }) => {
            await connection.query(
              `INSERT INTO dead_letters (id, group_id, topic, key, sequence, envelope, error, attempts)
               VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)`,
              [
                group,
                row.topic,
                row.key,
                row.sequence,
                JSON.stringify(row.envelope),
                error,
                attempts,
              ],
            );
          },
        });
        if (outcome === 'interrupted') return 0;
        await connection.query(
          `UPDATE consumer_offsets SET position = GREATEST(position, $3) WHERE group_id = $1 AND topic = $2`,
          [group, row.topic, row.sequence],
        );
        lag?.afterCommit(row.topic);
      }
      return rows.length;
    }

    async function run(): Promise<void> {
      let holdsGroupLock = false;
      let failures = 0;
      while (!stop.signal.aborted) {
        try {
          if (!holdsGroupLock) {
            const { rows } = await client.query<{ acquired: boolean }>(
              'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired',
              [`consumer-group:${group}`],
            );
            holdsGroupLock = rows[0]?.acquired === true;
            if (!holdsGroupLock) {
              await waker.wait(pollIntervalMs, stop.signal);
              continue;
            }
            log.debug('consuming (holds the group lock)');
          }
          const read = await consumeBatch(client);
          failures = 0;
          if (read < batchSize) await waker.wait(pollIntervalMs, stop.signal);
        } catch (error) {
          if (stop.signal.aborted) break;
          failures += 1;
          log.error({ err: errorMessage(error) }, 'postgres-log consumer failed: reconnecting');
          // A new connection: the group lock (if it was lost with the old one) is taken again.
          holdsGroupLock = false;
          await client.end().catch(() => undefined);
          await sleep(Math.min(100 * 2 ** failures, 5_000));
          try {
            client = await connectPg(options.databaseUrl, log);
          } catch (connectError) {
            log.warn(
              { err: errorMessage(connectError) },
              'postgres-log consumer: reconnect failed',
            );
          }
        }
      }
    }

    const running = run();
    const subscription: Subscription = {
      async close() {
        if (stop.signal.aborted) return;
        stop.abort();
        stopListening();
        await running;
        if (subscribeOptions.ephemeral) {
          await client
            .query('DELETE FROM consumer_offsets WHERE group_id = $1', [group])
            .catch((error: unknown) =>
              log.warn({ err: error }, 'offsets of an ephemeral group not deleted'),
            );
        }
        // Ending the session releases the group lock for a standby instance.
        await client.end().catch(() => undefined);
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    kind: 'postgres-log',
    namespace,
    databaseNotifications: notifications,
    async init() {
      // Fails fast when the database is unreachable, like the Kafka bus does with its broker.
      await db.$queryRaw`SELECT 1`;
    },
    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await notifications.close();
    },
    publish: (events) => publish(events),
    subscribe,
    replayDeadLetters,
  };
}

/**
 * With an `onLag` listener: how many events of each topic lie after the group's offset. A read
 * shorter than a batch has seen all of them; after a full one they are counted (one indexed
 * query), but only once the previous count is used up, so counting stays O(1) per event.
 * Events appended after a read or a count are seen by the next one.
 */
function postgresLagTracker(options: {
  group: string;
  topicNames: string[];
  namespace: string;
  batchSize: number;
  onLag: NonNullable<SubscribeOptions['onLag']>;
}) {
  const { group, topicNames, namespace, batchSize, onLag } = options;
  const pending = new Map<string, number>(topicNames.map((topic) => [topic, 0]));
  const report = (topic: string, events: number) =>
    onLag({ topic: topic.slice(namespace.length) as Topic, events });

  function reset(counts: Iterable<[string, number]>): void {
    for (const topic of topicNames) pending.set(topic, 0);
    for (const [topic, events] of counts) pending.set(topic, (pending.get(topic) ?? 0) + events);
  }

  return {
    async afterRead(connection: pg.Client, rows: readonly LogRow[]): Promise<void> {
      let known = 0;
      for (const events of pending.values()) known += events;
      if (rows.length < batchSize) {
        reset(rows.map((row): [string, number] => [row.topic, 1]));
      } else if (known < rows.length) {
        const counted = await connection.query<{ topic: string; events: string }>(
          `SELECT l.topic, count(*)::text AS events
           FROM event_log l JOIN consumer_offsets o ON o.group_id = $1 AND o.topic = l.topic
           WHERE l.topic = ANY($2::text[]) AND l.sequence > o.position
           GROUP BY l.topic`,
          [group, topicNames],
        );
        reset(counted.rows.map((row): [string, number] => [row.topic, Number(row.events)]));
      }
      for (const [topic, events] of pending) report(topic, events);
    },
    afterCommit(topic: string): void {
      const events = Math.max(0, (pending.get(topic) ?? 0) - 1);
      pending.set(topic, events);
      report(topic, events);
    },
  };
}
