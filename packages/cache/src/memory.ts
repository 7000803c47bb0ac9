import type { Cache, MessageHandler, PubSub } from './ports.ts';

interface Entry {
  value: string;
  /** Epoch milliseconds; undefined = never expires. */
  expiresAt: number | undefined;
}

/**
 * The embedded default: one process's memory. Counters and cached values are not shared between
 * processes, so this is for a single instance of each service (development, `npm start`).
 */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly prefix: string) {}

  async init(): Promise<void> {
    // Expired entries are dropped on read; the sweep only bounds memory for keys never read again.
    this.sweeper ??= setInterval(() => this.sweep(), 60_000).unref();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.entries.clear();
  }

  async get(key: string): Promise<string | null> {
    return this.live(this.prefix + key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.entries.set(this.prefix + key, {
      value,
      expiresAt: ttlSeconds === undefined ? undefined : Date.now() + ttlSeconds * 1000,
    });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(this.prefix + key);
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const fullKey = this.prefix + key;
    const current = this.live(fullKey);
    if (!current) {
      this.entries.set(fullKey, { value: '1', expiresAt: Date.now() + windowSeconds * 1000 });
      return 1;
    }
    const next = Number(current.value) + 1;
    current.value = String(next);
    return next;
  }

  private live(fullKey: string): Entry | undefined {
    const entry = this.entries.get(fullKey);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(fullKey);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const key of this.entries.keys()) this.live(key);
  }
}

/** In-process fan-out: only subscribers in this process receive a message. */
export class MemoryPubSub implements PubSub {
  private readonly channels = new Map<string, Set<MessageHandler>>();

  constructor(private readonly prefix: string) {}

  async init(): Promise<void> {}

  async close(): Promise<void> {
    this.channels.clear();
  }

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.channels.get(this.prefix + channel);
    if (!handlers) return;
    // Delivered asynchronously, as Redis does, so a publisher never runs subscriber code inline.
    for (const handler of [...handlers]) queueMicrotask(() => handler(message));
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const fullChannel = this.prefix + channel;
    const handlers = this.channels.get(fullChannel) ?? new Set<MessageHandler>();
    this.channels.set(fullChannel, handlers);
    // A wrapper per subscription, so subscribing the same function twice yields two independent subscriptions.
    const subscription: MessageHandler = (message) => handler(message);
    handlers.add(subscription);
    return async () => {
      handlers.delete(subscription);
      if (handlers.size === 0) this.channels.delete(fullChannel);
    };
  }
}
