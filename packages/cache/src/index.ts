import type { Config } from '@microshop/config';
import type { Logger } from '@microshop/runtime';
import { MemoryCache, MemoryPubSub } from './memory.ts';
import type { Cache, PubSub } from './ports.ts';

export type { Cache, MessageHandler, PubSub } from './ports.ts';

export type CacheConfig = Pick<Config, 'redis' | 'namespace'>;

export interface CacheOptions {
  /** Receives Redis connection errors while ioredis reconnects (e.g. the service's logger). */
  logger?: Pick<Logger, 'warn'>;
}

/** `shop-a` -> `shop-a:`; no namespace -> no prefix. */
function prefixOf(namespace: string): string {
  return namespace === '' ? '' : `${namespace}:`;
}

function errorListener(options: CacheOptions): (error: Error) => void {
  return (error) => options.logger?.warn({ err: error }, 'redis connection error (reconnecting)');
}

/**
 * The cache chosen by configuration, connected: Redis when REDIS_URL is set (ioredis is loaded
 * only then), otherwise this process's memory.
 */
export async function createCache(config: CacheConfig, options: CacheOptions = {}): Promise<Cache> {
  const cache: Cache =
    config.redis.kind === 'redis'
      ? new (await import('./redis.ts')).RedisCache(
          config.redis.url,
          prefixOf(config.namespace),
          errorListener(options),
        )
      : new MemoryCache(prefixOf(config.namespace));
  await cache.init();
  return cache;
}

/** The pub/sub chosen by configuration, connected; in-process fan-out reaches this process only. */
export async function createPubSub(
  config: CacheConfig,
  options: CacheOptions = {},
): Promise<PubSub> {
  const pubSub: PubSub =
    config.redis.kind === 'redis'
      ? new (await import('./redis.ts')).RedisPubSub(
          config.redis.url,
          prefixOf(config.namespace),
          errorListener(options),
        )
      : new MemoryPubSub(prefixOf(config.namespace));
  await pubSub.init();
  return pubSub;
}
