import { Redis } from 'ioredis';
import type { Cache, MessageHandler, PubSub } from './ports.ts';

/** INCR and, on the first increment only, start the window: one atomic step, so no counter lives forever. */
const INCREMENT_IN_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** Where connection errors go; ioredis reconnects by itself, so they are reported, not thrown. */
export type ErrorListener = (error: Error) => void;

function connect(url: string, onError: ErrorListener): Redis {
  // lazyConnect: init() connects and surfaces a wrong URL or a down server as a start-up error.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', onError);
  return redis;
}

/** Connects, or disconnects (stopping ioredis's endless reconnect attempts) and says what failed. */
async function connectOrFail(redis: Redis): Promise<void> {
  if (redis.status !== 'wait') return;
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const { host, port } = redis.options;
    throw new Error(
      `Redis (REDIS_URL) unreachable at ${host}:${port}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

const toMilliseconds = (seconds: number) => Math.max(1, Math.round(seconds * 1000));

export class RedisCache implements Cache {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    onError: ErrorListener,
  ) {
    this.redis = connect(url, onError);
  }

  async init(): Promise<void> {
    await connectOrFail(this.redis);
  }

  async close(): Promise<void> {
    if (this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await this.redis.set(this.prefix + key, value);
    else await this.redis.set(this.prefix + key, value, 'PX', toMilliseconds(ttlSeconds));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const count = await this.redis.eval(
      INCREMENT_IN_WINDOW,
      1,
      this.prefix + key,
      toMilliseconds(windowSeconds),
    );
    return Number(count);
  }
}

/**
 * Redis pub/sub: one connection publishes, a second one (which Redis dedicates to subscriptions)
 * listens; each channel is subscribed once and fanned out to this process's handlers.
 */
export class RedisPubSub implements PubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<MessageHandler>>();

  constructor(
    url: string,
    private readonly prefix: string,
    onError: ErrorListener,
  ) {
    this.publisher = connect(url, onError);
    this.subscriber = connect(url, onError);
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  async init(): Promise<void> {
    try {
      await Promise.all([this.publisher, this.subscriber].map(connectOrFail));
    } catch (error) {
      this.publisher.disconnect();
      this.subscriber.disconnect();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all(
      [this.publisher, this.subscriber].map(async (redis) => {
        if (redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
      }),
    );
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const fullChannel = this.prefix + channel;
    let handlers = this.handlers.get(fullChannel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(fullChannel, handlers);
      await this.subscriber.subscribe(fullChannel);
    }
    const subscription: MessageHandler = (message) => handler(message);
    handlers.add(subscription);
    return async () => {
      handlers.delete(subscription);
      if (handlers.size === 0 && this.handlers.get(fullChannel) === handlers) {
        this.handlers.delete(fullChannel);
        await this.subscriber.unsubscribe(fullChannel);
      }
    };
  }
}
