import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@microshop/runtime';
import {
  CART_TTL_SECONDS,
  CartStoreUnavailableError,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  sortLines,
  unitsPerVariant,
  type CartLine,
  type CartStore,
  type LineChange,
  type LineChangeRefusal,
  type LineChangeResult,
  type OrderedItem,
} from './cart-store.ts';

/*
 * One hash per cart: field = variant id, value = "<quantity>:<addedAt epoch ms>". Every change is
 * one Lua script, which Redis runs atomically, with the limits checked inside it: two tabs adding
 * at once are serialised by Redis itself, so no update is lost or applied twice.
 */

/** Reads the cart and restarts its expiry (EXPIRE on a missing key does nothing). */
const READ = `
redis.call('EXPIRE', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
`;

/** ARGV: variantId, quantity, mode (add|set), available, maxQuantity, maxLines, ttlSeconds, nowMs. */
const CHANGE_LINE = `
local cart, variantId, quantity, mode = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3]
local available, maxQuantity, maxLines = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local current, addedAt = 0, ARGV[8]
local line = redis.call('HGET', cart, variantId)
if line then
  local units, since = string.match(line, '^(%d+):(%d+)$')
  current, addedAt = tonumber(units), since
end
local wanted = quantity
if mode == 'add' then wanted = current + quantity end
local refusal = ''
if not line and redis.call('HLEN', cart) >= maxLines then
  refusal = 'CART_LINE_LIMIT'
elseif wanted > maxQuantity then
  refusal = 'LINE_QUANTITY_LIMIT'
elseif wanted > current and wanted > available then
  refusal = 'STOCK'
else
  redis.call('HSET', cart, variantId, string.format('%d:%s', wanted, addedAt))
end
redis.call('EXPIRE', cart, ARGV[7])
return {refusal, redis.call('HGETALL', cart)}
`;

/** ARGV: variantId, ttlSeconds. */
const REMOVE_LINE = `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return redis.call('HGETALL', KEYS[1])
`;

/**
 * KEYS: cart, the order's marker. ARGV: ttlSeconds, then variantId, quantity pairs. The marker is
 * set in the same script as the removal, so a redelivered OrderPlaced removes nothing twice.
 */
const REMOVE_ORDERED = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 2, #ARGV, 2 do
  local line = redis.call('HGET', KEYS[1], ARGV[i])
  if line then
    local units, since = string.match(line, '^(%d+):(%d+)$')
    local left = tonumber(units) - tonumber(ARGV[i + 1])
    if left > 0 then
      redis.call('HSET', KEYS[1], ARGV[i], string.format('%d:%s', left, since))
    else
      redis.call('HDEL', KEYS[1], ARGV[i])
    end
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

interface CartScripts {
  cartRead(cart: string, ttlSeconds: number): Promise<string[]>;
  cartChangeLine(cart: string, ...args: (string | number)[]): Promise<[string, string[]]>;
  cartRemoveLine(cart: string, variantId: string, ttlSeconds: number): Promise<string[]>;
  cartRemoveOrdered(cart: string, marker: string, ...args: (string | number)[]): Promise<number>;
}

/**
 * Fail fast instead of queueing while Redis is away: commands are refused at once when there is no
 * connection, time out after a short while, and are never resent after a reconnect (a resent script
 * whose first run did succeed would apply twice). The client keeps reconnecting in the background,
 * so the store recovers by itself when Redis is back.
 */
const CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
};

function parseLines(flat: string[]): CartLine[] {
  const lines: CartLine[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [quantity, addedAt] = (flat[i + 1] ?? '').split(':');
    lines.push({
      variantId: flat[i] ?? '',
      quantity: Number(quantity),
      addedAt: new Date(Number(addedAt)),
    });
  }
  return sortLines(lines);
}

export class RedisCartStore implements CartStore {
  private readonly redis: Redis;
  private readonly scripts: CartScripts;

  constructor(private readonly options: { url: string; namespace: string; logger: Logger }) {
    this.redis = new Redis(options.url, CLIENT_OPTIONS);
    this.redis.defineCommand('cartRead', { numberOfKeys: 1, lua: READ });
    this.redis.defineCommand('cartChangeLine', { numberOfKeys: 1, lua: CHANGE_LINE });
    this.redis.defineCommand('cartRemoveLine', { numberOfKeys: 1, lua: REMOVE_LINE });
    this.redis.defineCommand('cartRemoveOrdered', { numberOfKeys: 2, lua: REMOVE_ORDERED });
    // defineCommand adds methods ioredis cannot type; this is their signature.
    this.scripts = this.redis as unknown as CartScripts;
    this.watchConnection();
  }

  /** Logs when Redis goes away and comes back, once each, not every reconnect attempt. */
  private watchConnection(): void {
    const log = this.options.logger;
    let lost = false;
    this.redis.on('error', (error: Error) => {
      if (!lost) log.warn({ err: error }, 'cart store: Redis unreachable, reconnecting');
      lost = true;
    });
    this.redis.on('ready', () => {
      if (lost) log.info('cart store: Redis connection restored');
      lost = false;
    });
  }

  async init(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (error) {
      // The client keeps retrying; until Redis answers, cart operations report SERVICE_UNAVAILABLE.
      this.options.logger.warn({ err: error }, 'cart store: Redis not reachable at start-up');
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** `{userId}` is a Redis Cluster hash tag: a cart and its order markers live in one slot. */
  private cartKey(userId: string): string {
    return `${this.options.namespace}cart:{${userId}}`;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError') throw error; // Redis answered: a bug, not an outage
      throw new CartStoreUnavailableError('Redis is unreachable', { cause: error });
    }
  }

  async read(userId: string): Promise<CartLine[]> {
    return parseLines(
      await this.run(() => this.scripts.cartRead(this.cartKey(userId), CART_TTL_SECONDS)),
    );
  }

  async changeLine(userId: string, change: LineChange): Promise<LineChangeResult> {
    const [refusal, flat] = await this.run(() =>
      this.scripts.cartChangeLine(
        this.cartKey(userId),
        change.variantId,
        change.quantity,
        change.mode,
        change.available,
        MAX_LINE_QUANTITY,
        MAX_CART_LINES,
        CART_TTL_SECONDS,
        Date.now(),
      ),
    );
    return {
      lines: parseLines(flat),
      refusal: refusal === '' ? null : (refusal as LineChangeRefusal),
    };
  }

  async removeLine(userId: string, variantId: string): Promise<CartLine[]> {
    return parseLines(
      await this.run(() =>
        this.scripts.cartRemoveLine(this.cartKey(userId), variantId, CART_TTL_SECONDS),
      ),
    );
  }

  async clear(userId: string): Promise<void> {
    await this.run(() => this.redis.del(this.cartKey(userId)));
  }

  async removeOrderedItems(
    userId: string,
    orderId: string,
    items: OrderedItem[],
  ): Promise<boolean> {
    const pairs = [...unitsPerVariant(items)].flat();
    const applied = await this.run(() =>
      this.scripts.cartRemoveOrdered(
        this.cartKey(userId),
        `${this.cartKey(userId)}:order:${orderId}`,
        CART_TTL_SECONDS,
        ...pairs,
      ),
    );
    return applied === 1;
  }

  async ping(): Promise<void> {
    await this.run(() => this.redis.ping());
  }
}
