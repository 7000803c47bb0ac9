import type { Db } from '@microshop/db';
import type { Logger } from '@microshop/runtime';

/**
 * What the event tables keep, and for how long. Every event leaves rows behind: its outbox row
 * once published, one processed_events row per consumer group that handled it, and (on the
 * embedded Postgres-log bus) its event_log entry. Without a sweep they grow for ever.
 *
 * One retention, like a Kafka topic's: rows older than it go whether or not some consumer group
 * is still behind (a group that stopped for good would otherwise hold the log for ever). The
 * processed_events rows are what makes a redelivered event harmless, so the retention must be at
 * least as long as the bus can redeliver (Kafka's topic retention; event_log's is this one).
 * Kept: unpublished outbox rows (not yet delivered) and dead letters (an operator's to handle).
 */
export interface EventRetentionOptions {
  db: Db;
  logger: Logger;
  retentionMs: number;
  /** Time between sweeps; the first runs at start. Default: an hour. */
  intervalMs?: number;
  /** Rows deleted per statement, so that a first sweep of a large backlog never holds long locks. */
  batchSize?: number;
}

/** Rows deleted by one sweep, per table. */
export interface SweepResult {
  outboxEvents: number;
  processedEvents: number;
  eventLog: number;
}

export interface EventRetention {
  /** Sweeps now (also what the timer runs); resolves with what it deleted. */
  sweep(): Promise<SweepResult>;
  close(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 60 * 60 * 1000;
const DEFAULT_BATCH_SIZE = 5_000;

/** Each table swept, and the timestamp its rows expire by (a NULL one never does). */
const EXPIRING: Record<keyof SweepResult, { table: string; column: string }> = {
  outboxEvents: { table: 'outbox_events', column: 'published_at' },
  processedEvents: { table: 'processed_events', column: 'processed_at' },
  eventLog: { table: 'event_log', column: 'created_at' },
};

/**
 * The statement deleting one batch of a table's expired rows, called with the cutoff and the
 * batch size. ctid picks the rows without a key lookup (processed_events has a composite key).
 */
function expiredRows({ table, column }: { table: string; column: string }): string {
  return `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${column} < $1 LIMIT $2)`;
}

export function startEventRetention(options: EventRetentionOptions): EventRetention {
  const { db, retentionMs } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const log = options.logger.child({ component: 'event-retention' });

  async function deleteExpired(statement: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await db.$executeRawUnsafe(statement, cutoff, batchSize);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  async function sweep(): Promise<SweepResult> {
    const cutoff = new Date(Date.now() - retentionMs);
    const result: SweepResult = { outboxEvents: 0, processedEvents: 0, eventLog: 0 };
    for (const table of Object.keys(EXPIRING) as (keyof SweepResult)[]) {
      result[table] = await deleteExpired(expiredRows(EXPIRING[table]), cutoff);
    }
    log.info({ ...result, cutoff: cutoff.toISOString() }, 'expired event rows deleted');
    return result;
  }

  let running: Promise<void> | undefined;
  const sweepInBackground = () => {
    // A sweep still deleting a backlog is not joined by another.
    if (running) return;
    running = sweep()
      .then(
        () => undefined,
        (error: unknown) => {
          // The next sweep tries again; nothing is lost by a late one.
          log.warn({ err: error }, 'event retention sweep failed');
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  sweepInBackground();
  const timer = setInterval(sweepInBackground, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();

  return {
    sweep,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
