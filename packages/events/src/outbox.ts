import { setTimeout as sleep } from 'node:timers/promises';
import type { Db, Tx } from '@microshop/db';
import type { Logger } from '@microshop/runtime';
import { activeTraceparent } from '@microshop/telemetry';
import type { EventBus } from './bus.ts';
import { errorMessage } from './delivery.ts';
import { topicOf, type DomainEvent } from './envelope.ts';
import { OUTBOX_CHANNEL, Waker } from './pg.ts';

/**
 * Writes events to the outbox inside the caller's transaction, next to the state change they
 * describe: both commit or neither does. `source` is the owning service, whose relay publishes them.
 * Inside a traced request or event handler, each envelope carries that trace (`traceparent`).
 */
export async function appendToOutbox(
  tx: Tx,
  source: string,
  events: readonly DomainEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const traceparent = activeTraceparent();
  await tx.outboxEvent.createMany({
    data: events.map((event) => ({
      id: event.id,
      source,
      topic: topicOf[event.type],
      aggregateId: event.aggregateId,
      type: event.type,
      envelope: traceparent && !event.traceparent ? { ...event, traceparent } : event,
    })),
  });
  // Delivered at commit (never for a rolled-back transaction): wakes the relay at once.
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${source})`;
}

export interface OutboxRelayOptions {
  db: Db;
  bus: EventBus;
  /** The service whose rows this relay publishes. */
  source: string;
  logger: Logger;
  /**
   * Idle poll between wake-ups. With the bus's database notifications this is a safety net
   * (default 1 s); without them it is how promptly rows go out (default 200 ms).
   */
  pollIntervalMs?: number;
  /** Rows published per transaction. */
  batchSize?: number;
}

export interface OutboxRelay {
  close(): Promise<void>;
}

/** How soon a relay looks again at rows another relay held up (see `blocked`). */
const BLOCKED_RETRY_MS = 50;

interface OutboxRow {
  id: string;
  envelope: DomainEvent;
  /** An earlier row of its aggregate is held by another relay: it waits, to keep their order. */
  blocked: boolean;
}

/**
 * Publishes the unsent outbox rows of `source` in sequence order and stamps them published.
 *
 * Each batch is claimed with FOR UPDATE SKIP LOCKED, published, stamped and committed in one
 * transaction, so several relays of one service share the work and each row is published once
 * while they run; a relay that dies between publish and commit leaves its rows unsent, and they
 * are published again (at least once: consumers dedupe by event id). A row whose aggregate has
 * an earlier unsent row held by another relay waits, so one aggregate's events keep their order.
 * Publish failures (a broker outage) keep the rows and retry with backoff.
 */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const { db, bus, source } = options;
  const log = options.logger.child({ outboxRelay: source });
  const batchSize = options.batchSize ?? 100;
  const notifications = bus.databaseNotifications;
  const pollIntervalMs = options.pollIntervalMs ?? (notifications ? 1_000 : 200);
  const stop = new AbortController();
  const waker = new Waker();
  const stopListening = await notifications?.listen(OUTBOX_CHANNEL, (payload) => {
    // undefined: the LISTEN connection came back and may have missed notifications.
    if (payload === undefined || payload === source) waker.wake();
  });

  /**
   * Publishes one batch. 'more': a full batch went out, others may be waiting; 'blocked': some
   * claimed rows wait for another relay to publish their aggregate's earlier rows; 'idle'.
   */
  async function relayBatch(): Promise<'more' | 'blocked' | 'idle'> {
    return db.$transaction(
      async (tx) => {
        const claimed = await tx.$queryRaw<OutboxRow[]>`
          WITH batch AS (
            SELECT id, aggregate_id, sequence FROM outbox_events
            WHERE source = ${source} AND published_at IS NULL
            ORDER BY sequence LIMIT ${batchSize}
            FOR UPDATE SKIP LOCKED
          )
          SELECT o.id::text AS id, o.envelope, EXISTS (
            SELECT 1 FROM outbox_events earlier
            WHERE earlier.source = ${source} AND earlier.published_at IS NULL
              AND earlier.aggregate_id = b.aggregate_id AND earlier.sequence < b.sequence
              AND earlier.id NOT IN (SELECT id FROM batch)
          ) AS blocked
          FROM batch b JOIN outbox_events o ON o.id = b.id
          ORDER BY b.sequence`;
        const rows = claimed.filter((row) => !row.blocked);
        if (rows.length > 0) {
          await bus.publish(rows.map((row) => row.envelope));
          await tx.outboxEvent.updateMany({
            where: { id: { in: rows.map((row) => row.id) } },
            data: { publishedAt: new Date() },
          });
          log.debug({ published: rows.length }, 'outbox rows published');
        }
        if (rows.length < claimed.length) return 'blocked';
        return claimed.length >= batchSize ? 'more' : 'idle';
      },
      // Publishing waits for the broker's acks while the rows stay locked.
      { maxWait: 10_000, timeout: 60_000 },
    );
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        const outcome = await relayBatch();
        failures = 0;
        if (outcome === 'blocked') await waker.wait(BLOCKED_RETRY_MS, stop.signal);
        else if (outcome === 'idle') await waker.wait(pollIntervalMs, stop.signal);
      } catch (error) {
        if (stop.signal.aborted) break;
        failures += 1;
        const delay = Math.min(200 * 2 ** (failures - 1), 10_000);
        log.error(
          { err: errorMessage(error), retryInMs: delay },
          'outbox relay failed: rows kept, retrying',
        );
        await sleep(delay, undefined, { signal: stop.signal }).catch(() => undefined);
      }
    }
  }

  const running = run();
  return {
    async close() {
      stop.abort();
      stopListening?.();
      await running;
    },
  };
}
