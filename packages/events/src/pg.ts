import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { parseDatabaseUrl } from '@microshop/db';
import type { Logger } from '@microshop/runtime';

/** NOTIFY channel of outbox inserts (payload: the source service). */
export const OUTBOX_CHANNEL = 'microshop_outbox';
/** NOTIFY channel of Postgres-log appends (payload: the namespace). */
export const EVENT_LOG_CHANNEL = 'microshop_event_log';

/**
 * A dedicated connection (outside Prisma's pool) for what a pool cannot do: LISTEN and
 * session-level advisory locks. Same schema handling as @microshop/db.
 */
export async function connectPg(url: string, logger: Logger): Promise<pg.Client> {
  const { connectionString, schema } = parseDatabaseUrl(url);
  const client = new pg.Client({
    connectionString,
    ...(schema ? { options: `-c search_path="${schema}",public` } : {}),
  });
  // Without a listener a dropped connection would crash the process; users see the failure
  // on their next query and reconnect.
  client.on('error', (error) => logger.warn({ err: error }, 'database connection lost'));
  await client.connect();
  return client;
}

type NotificationHandler = (payload: string | undefined) => void;

/**
 * One LISTEN connection per process, shared by everything that wants commit-time wake-ups.
 * After a reconnect every handler is called once, since notifications may have been missed.
 */
export class DatabaseNotifications {
  private client: pg.Client | undefined;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private closed = false;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  /** Calls `handler` on every NOTIFY on `channel`; returns the function that stops it. */
  async listen(channel: string, handler: NotificationHandler): Promise<() => void> {
    let handlers = this.handlers.get(channel);
    const isNewChannel = !handlers;
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
    }
    handlers.add(handler);
    await this.ensureConnected();
    // A connection made before this channel was known does not listen to it yet (LISTEN twice is harmless).
    if (isNewChannel && this.client)
      await this.client.query(`LISTEN ${this.client.escapeIdentifier(channel)}`);
    return () => handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private ensureConnected(): Promise<void> {
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    if (this.client || this.closed) return;
    const client = await connectPg(this.url, this.logger);
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload);
    });
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      void this.reconnect();
    });
    for (const channel of this.handlers.keys()) {
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; !this.closed && !this.client; attempt += 1) {
      await sleep(Math.min(100 * 2 ** attempt, 5_000));
      try {
        await this.ensureConnected();
      } catch (error) {
        this.logger.warn({ err: error }, 'LISTEN connection: reconnect failed, retrying');
      }
    }
    if (this.closed) return;
    this.logger.info('LISTEN connection restored');
    for (const handlers of this.handlers.values())
      for (const handler of handlers) handler(undefined);
  }
}

/**
 * Resolves after `ms`, or earlier when `wake` is called or `signal` aborts: the idle wait of a
 * poll loop that also listens for notifications.
 */
export class Waker {
  private pending: (() => void) | undefined;
  private woken = false;

  wake = (): void => {
    this.woken = true;
    this.pending?.();
  };

  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.woken || signal.aborted) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.pending = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.pending = done;
    });
    this.woken = false;
  }
}
