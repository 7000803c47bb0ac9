import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@microshop/runtime';
import {
  CART_TTL_SECONDS,
  CartStoreUnavailableError,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  snapshotId,
  sortLines,
  unitsPerVariant,
  type CartLine,
  type CartStore,
  type LineChange,
  type LineChangeRefusal,
  type LineChangeResult,
  type MergeAddition,
  type MergeResult,
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
 * KEYS: the target cart, the merge's marker. ARGV: ttlSeconds, maxQuantity, maxLines, nowMs, then
 * variantId, requested, available triples. Each line is capped as `mergedUnits` caps it (never
 * shrinking a line); the marker makes a retried merge of the same snapshot add nothing. Returns
 * {applied, merged units and refusal per triple, the cart}.
 */
const MERGE = `
local cart, marker = KEYS[1], KEYS[2]
local ttl, maxQuantity, maxLines, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
if not redis.call('SET', marker, '1', 'NX', 'EX', ttl) then
  redis.call('EXPIRE', cart, ttl)
  return {0, {}, redis.call('HGETALL', cart)}
end
local outcomes = {}
local lines = redis.call('HLEN', cart)
for i = 5, #ARGV, 3 do
  local variantId, requested, available = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local current, addedAt = 0, now
  local line = redis.call('HGET', cart, variantId)
  if line then
    local units, since = string.match(line, '^(%d+):(%d+)$')
    current, addedAt = tonumber(units), since
  end
  local merged, refusal = requested, ''
  if not line and lines >= maxLines then
    merged, refusal = 0, 'CART_LINE_LIMIT'
  else
    local byStock = math.max(current, available)
    local cap = math.min(maxQuantity, byStock)
    if current + requested > cap then
      merged = math.max(0, cap - current)
      if maxQuantity <= byStock then refusal = 'LINE_QUANTITY_LIMIT' else refusal = 'STOCK' end
    end
    if merged > 0 then
      if not line then lines = lines + 1 end
      redis.call('HSET', cart, variantId, string.format('%d:%s', current + merged, addedAt))
    end
  end
  table.insert(outcomes, tostring(merged))
  table.insert(outcomes, refusal)
end
redis.call('EXPIRE', cart, ttl)
return {1, outcomes, redis.call('HGETALL', cart)}
`;

/**
 * KEYS: cart, the marker of what is taken out (an order, or a merged snapshot). ARGV: ttlSeconds,
 * then variantId, quantity pairs. The marker is set in the same script as the removal, so a
 * redelivered OrderPlaced or a retried merge removes nothing twice.
 */
const TAKE_OUT_ONCE = `
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
  cartTakeOutOnce(cart: string, marker: string, ...args: (string | number)[]): Promise<number>;
  cartMerge(
    cart: string,
    marker: string,
    ...args: (string | number)[]
  ): Promise<[number, string[], string[]]>;
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
    this.redis.defineCommand('cartTakeOutOnce', { numberOfKeys: 2, lua: TAKE_OUT_ONCE });
    this.redis.defineCommand('cartMerge', { numberOfKeys: 2, lua: MERGE });
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
    return this.takeOutOnce(userId, `order:${orderId}`, items);
  }

  /*
   * Two scripts, since the two carts live in different slots of a Redis Cluster: the merge into the
   * target, then the snapshot taken out of the guest cart, each once per snapshot. A crash between
   * them leaves the guest cart as it was; the retried merge adds nothing again and takes it out.
   */
  async mergeCart(
    fromKey: string,
    intoKey: string,
    snapshot: CartLine[],
    additions: MergeAddition[],
  ): Promise<MergeResult> {
    const merge = `merge:${snapshotId(fromKey, snapshot)}`;
    const target = this.cartKey(intoKey);
    const [applied, outcomes, flat] = await this.run(() =>
      this.scripts.cartMerge(
        target,
        `${target}:${merge}`,
        CART_TTL_SECONDS,
        MAX_LINE_QUANTITY,
        MAX_CART_LINES,
        Date.now(),
        ...additions.flatMap((addition) => [
          addition.variantId,
          addition.quantity,
          addition.available,
        ]),
      ),
    );
    await this.takeOutOnce(fromKey, merge, snapshot);
    return {
      lines: parseLines(flat),
      applied: applied === 1,
      mergedLines:
        applied === 1
          ? additions.map((addition, index) => ({
              variantId: addition.variantId,
              requested: addition.quantity,
              merged: Number(outcomes[2 * index]),
              refusal: (outcomes[2 * index + 1] || null) as LineChangeRefusal | null,
            }))
          : [],
    };
  }

  private async takeOutOnce(key: string, marker: string, items: OrderedItem[]): Promise<boolean> {
    const pairs = [...unitsPerVariant(items)].flat();
    const cart = this.cartKey(key);
    const applied = await this.run(() =>
      this.scripts.cartTakeOutOnce(cart, `${cart}:${marker}`, CART_TTL_SECONDS, ...pairs),
    );
    return applied === 1;
  }

  async ping(): Promise<void> {
    await this.run(() => this.redis.ping());
  }
}
