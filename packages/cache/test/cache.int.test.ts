import { afterEach, describe, expect, it } from 'vitest';
import { requireBackend, testNamespace } from '@microshop/testing';
import {
  createCache,
  createPubSub,
  type Cache,
  type CacheConfig,
  type PubSub,
} from '../src/index.ts';
import { MemoryCache } from '../src/memory.ts';

/** One contract, every implementation: the embedded default may never drift from Redis. */
const implementations: Array<{ name: string; config: (namespace: string) => CacheConfig }> = [
  {
    name: 'redis',
    config: (namespace) => ({
      redis: { kind: 'redis', url: requireBackend('REDIS_URL') },
      namespace,
    }),
  },
  { name: 'memory', config: (namespace) => ({ redis: { kind: 'memory' }, namespace }) },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the first message a subscription receives, or rejects after `ms`. */
function nextMessage(
  pubSub: PubSub,
  channel: string,
  ms = 2000,
): Promise<{ message: Promise<string>; stop: () => Promise<void> }> {
  let resolveMessage!: (message: string) => void;
  const message = new Promise<string>((resolve, reject) => {
    resolveMessage = resolve;
    setTimeout(() => reject(new Error(`no message on ${channel} within ${ms} ms`)), ms).unref();
  });
  return pubSub
    .subscribe(channel, (received) => resolveMessage(received))
    .then((stop) => ({ message, stop }));
}

describe.each(implementations)('cache contract: $name', ({ config }) => {
  const opened: Array<Cache | PubSub> = [];
  const cacheIn = async (namespace = testNamespace()) => {
    const cache = await createCache(config(namespace));
    opened.push(cache);
    return cache;
  };
  const pubSubIn = async (namespace = testNamespace()) => {
    const pubSub = await createPubSub(config(namespace));
    opened.push(pubSub);
    return pubSub;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((resource) => resource.close()));
  });

  it('stores, reads, overwrites and deletes values', async () => {
    const cache = await cacheIn();
    expect(await cache.get('k')).toBeNull();
    await cache.set('k', 'one');
    expect(await cache.get('k')).toBe('one');
    await cache.set('k', 'two');
    expect(await cache.get('k')).toBe('two');
    await cache.delete('k');
    expect(await cache.get('k')).toBeNull();
  });

  it('expires a value after its ttl', async () => {
    const cache = await cacheIn();
    await cache.set('short', 'v', 0.3);
    await cache.set('long', 'v', 30);
    expect(await cache.get('short')).toBe('v');
    await sleep(450);
    expect(await cache.get('short')).toBeNull();
    expect(await cache.get('long')).toBe('v');
  });

  it('counts within a window and starts again after it', async () => {
    const cache = await cacheIn();
    expect(await cache.increment('c', 0.5)).toBe(1);
    expect(await cache.increment('c', 0.5)).toBe(2);
    expect(await cache.increment('c', 0.5)).toBe(3);
    // Later increments do not extend the window: it is fixed from the first one.
    expect(await cache.get('c')).toBe('3');
    await sleep(650);
    expect(await cache.get('c')).toBeNull();
    expect(await cache.increment('c', 0.5)).toBe(1);
  });

  it('counts concurrent increments exactly', async () => {
    const cache = await cacheIn();
    const counts = await Promise.all(
      Array.from({ length: 20 }, () => cache.increment('burst', 10)),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
  });

  it('keeps namespaces apart', async () => {
    const first = await cacheIn();
    const second = await cacheIn();
    await first.set('shared-name', 'first', 30);
    await first.increment('counter', 10);
    expect(await second.get('shared-name')).toBeNull();
    expect(await second.increment('counter', 10)).toBe(1);
  });

  it('delivers a published message to every subscriber, and none after unsubscribing', async () => {
    const namespace = testNamespace();
    const pubSub = await pubSubIn(namespace);
    const a = await nextMessage(pubSub, 'orders');
    const b = await nextMessage(pubSub, 'orders');
    await pubSub.publish('orders', 'hello');
    expect(await a.message).toBe('hello');
    expect(await b.message).toBe('hello');

    const received: string[] = [];
    const stop = await pubSub.subscribe('orders', (message) => received.push(message));
    await stop();
    await a.stop();
    await b.stop();
    await pubSub.publish('orders', 'after');
    await sleep(200);
    expect(received).toEqual([]);
  });

  it('does not deliver across channels or namespaces', async () => {
    const pubSub = await pubSubIn();
    const other = await pubSubIn();
    const received: string[] = [];
    await pubSub.subscribe('a', (message) => received.push(`a:${message}`));
    await other.subscribe('a', (message) => received.push(`other:${message}`));
    await pubSub.publish('b', 'x');
    await pubSub.publish('a', 'y');
    await sleep(200);
    expect(received).toEqual(['a:y']);
  });
});

describe('redis start-up', () => {
  it('fails with a message naming REDIS_URL when the server is unreachable', async () => {
    const unreachable: CacheConfig = {
      redis: { kind: 'redis', url: 'redis://127.0.0.1:1' },
      namespace: '',
    };
    await expect(createCache(unreachable)).rejects.toThrow(/REDIS_URL.*127\.0\.0\.1:1/);
    await expect(createPubSub(unreachable)).rejects.toThrow(/REDIS_URL/);
  });
});

describe('redis pub/sub across connections', () => {
  it('reaches a subscriber of another client (another process in production)', async () => {
    const namespace = testNamespace();
    const url = requireBackend('REDIS_URL');
    const publisher = await createPubSub({ redis: { kind: 'redis', url }, namespace });
    const subscriber = await createPubSub({ redis: { kind: 'redis', url }, namespace });
    try {
      const { message } = await nextMessage(subscriber, 'events');
      await publisher.publish('events', 'cross-process');
      expect(await message).toBe('cross-process');
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
    }
  });
});

describe('memory cache budget', () => {
  // Each entry below counts 2 × (key + value) = 2 × (7 + 93) = 200 bytes.
  const value = 'v'.repeat(93);
  const keyOf = (index: number) => `key-${String(index).padStart(3, '0')}`;

  it('holds no more than its budget, dropping the least recently used entries first', async () => {
    const cache = new MemoryCache('', 1_000);
    await cache.init();
    for (let index = 0; index < 5; index++) await cache.set(keyOf(index), value);
    // Read: now the most recently used, so it outlives key-001..key-003.
    expect(await cache.get(keyOf(0))).toBe(value);
    for (let index = 5; index < 8; index++) await cache.set(keyOf(index), value);

    const kept = [];
    for (let index = 0; index < 8; index++) {
      if ((await cache.get(keyOf(index))) !== null) kept.push(index);
    }
    expect(kept).toEqual([0, 4, 5, 6, 7]);
    await cache.close();
  });

  it('does not keep a value larger than the whole budget', async () => {
    const cache = new MemoryCache('', 1_000);
    await cache.init();
    await cache.set('small', 'x');
    await cache.set('huge', 'x'.repeat(600));
    expect(await cache.get('huge')).toBeNull();
    expect(await cache.get('small')).toBe('x');
    await cache.close();
  });
});
