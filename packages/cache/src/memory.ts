import type { Cache, MessageHandler, PubSub } from './ports.ts';

interface Entry {
  value: string;
  /** Epoch milliseconds; undefined = never expires. */
  expiresAt: number | undefined;
  /** What the entry is counted as against the budget (key and value, two bytes a character). */
  bytes: number;
}

function hasExpired(entry: Entry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}

/** Default budget of one MemoryCache: a bound however many keys clients make it hold. */
export const DEFAULT_MEMORY_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The embedded default: one process's memory. Counters and cached values are not shared between
 * processes, so this is for a single instance of each service (development, `npm start`).
 *
 * Bounded: what clients can make it store (persisted queries, one counter per login name) would
 * otherwise grow with them. Past `maxBytes` the least recently used entries go first, as Redis
 * does under `maxmemory-policy allkeys-lru`.
 */
export class MemoryCache implements Cache {
  /** In least- to most-recently-used order: a read or write moves an entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly prefix: string,
    private readonly maxBytes = DEFAULT_MEMORY_CACHE_BYTES,
  ) {}

  async init(): Promise<void> {
    // Expired entries are dropped on read; the sweep only bounds memory for keys never read again.
    this.sweeper ??= setInterval(() => this.sweep(), 60_000).unref();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.entries.clear();
    this.bytes = 0;
  }

  async get(key: string): Promise<string | null> {
    return this.live(this.prefix + key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.store(
      this.prefix + key,
      value,
      ttlSeconds === undefined ? undefined : Date.now() + ttlSeconds * 1000,
    );
  }

  async delete(key: string): Promise<void> {
    this.remove(this.prefix + key);
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const fullKey = this.prefix + key;
    const current = this.live(fullKey);
    const next = current ? Number(current.value) + 1 : 1;
    // The window is the first increment's: a later one keeps its expiry.
    this.store(fullKey, String(next), current?.expiresAt ?? Date.now() + windowSeconds * 1000);
    return next;
  }

  /** The entry if it has not expired, made the most recently used. */
  private live(fullKey: string): Entry | undefined {
    const entry = this.entries.get(fullKey);
    if (!entry) return undefined;
    if (hasExpired(entry, Date.now())) {
      this.remove(fullKey);
      return undefined;
    }
    this.entries.delete(fullKey);
    this.entries.set(fullKey, entry);
    return entry;
  }

  private store(fullKey: string, value: string, expiresAt: number | undefined): void {
    this.remove(fullKey);
    const entry = { value, expiresAt, bytes: 2 * (fullKey.length + value.length) };
    // Larger than the whole budget: not kept, rather than emptying the cache for nothing.
    if (entry.bytes > this.maxBytes) return;
    this.entries.set(fullKey, entry);
    this.bytes += entry.bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  private remove(fullKey: string): void {
    const entry = this.entries.get(fullKey);
    if (!entry) return;
    this.entries.delete(fullKey);
    this.bytes -= entry.bytes;
  }

  /** Drops expired entries, leaving the others where they are in the recency order. */
  private sweep(): void {
    const now = Date.now();
    for (const [fullKey, entry] of this.entries) {
      if (hasExpired(entry, now)) this.remove(fullKey);
    }
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
