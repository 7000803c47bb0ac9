import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  type TestDatabase,
} from '@microshop/testing';
import {
  CART_TTL_SECONDS,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  type CartStore,
  type LineChange,
} from '../src/cart-store.ts';
import { PostgresCartStore } from '../src/cart-store.postgres.ts';
import { RedisCartStore } from '../src/cart-store.redis.ts';

const logger = createLogger('cart-store-test', {
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
});

interface Harness {
  store: CartStore;
  /** Seconds until the cart expires, as the backend holds it (null: no cart stored). */
  secondsToLive(userId: string): Promise<number | null>;
  /** Makes the cart's 30 days run out now. */
  expire(userId: string): Promise<void>;
  dispose(): Promise<void>;
}

async function redisHarness(): Promise<Harness> {
  const url = requireBackend('REDIS_URL');
  const namespace = testNamespace('cart');
  const store = new RedisCartStore({ url, namespace, logger });
  await store.init();
  const inspector = new Redis(url);
  const key = (userId: string) => `${namespace}cart:{${userId}}`;
  return {
    store,
    async secondsToLive(userId) {
      const ttl = await inspector.ttl(key(userId));
      return ttl < 0 ? null : ttl;
    },
    async expire(userId) {
      await inspector.del(key(userId)); // what Redis does when the TTL runs out
    },
    async dispose() {
      const keys = await inspector.keys(`${namespace}*`);
      if (keys.length > 0) await inspector.del(...keys);
      inspector.disconnect();
      await store.close();
    },
  };
}

async function postgresHarness(): Promise<Harness> {
  let db: TestDatabase | undefined = await createTestDatabase();
  const prisma = db.prisma;
  const store = new PostgresCartStore(prisma);
  await store.init();
  return {
    store,
    async secondsToLive(userId) {
      const [row] = await prisma.$queryRaw<{ seconds: number }[]>`
        SELECT extract(epoch FROM expires_at - now())::int AS seconds FROM carts WHERE user_id = ${userId}`;
      return row ? row.seconds : null;
    },
    async expire(userId) {
      await prisma.$executeRaw`UPDATE carts SET expires_at = now() - interval '1 second' WHERE user_id = ${userId}`;
    },
    async dispose() {
      await store.close();
      await db?.drop();
      db = undefined;
    },
  };
}

const add = (variantId: string, quantity: number, available = 1_000): LineChange => ({
  variantId,
  quantity,
  mode: 'add',
  available,
});
const set = (variantId: string, quantity: number, available = 1_000): LineChange => ({
  variantId,
  quantity,
  mode: 'set',
  available,
});

describe.each([
  { backend: 'redis', harness: redisHarness },
  { backend: 'postgres', harness: postgresHarness },
])('CartStore contract ($backend)', ({ harness: createHarness }) => {
  let harness: Harness;
  let store: CartStore;
  beforeAll(async () => {
    harness = await createHarness();
    store = harness.store;
  });
  afterAll(async () => harness?.dispose());

  const user = () => randomUUID();
  const product = () => randomUUID();
  const quantities = async (userId: string) =>
    (await store.read(userId)).map((line) => [line.variantId, line.quantity]);

  it('reads an unknown cart as empty', async () => {
    expect(await store.read(user())).toEqual([]);
  });

  it('adds lines, accumulates units, and lists lines oldest first', async () => {
    const userId = user();
    const [first, second] = [product(), product()];
    expect((await store.changeLine(userId, add(first, 2))).refusal).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct addedAt
    await store.changeLine(userId, add(second, 1));
    const result = await store.changeLine(userId, add(first, 3));
    expect(result.refusal).toBeNull();
    expect(result.lines.map((line) => [line.variantId, line.quantity])).toEqual([
      [first, 5],
      [second, 1],
    ]);
    expect(await quantities(userId)).toEqual([
      [first, 5],
      [second, 1],
    ]);
  });

  it('sets a quantity without moving the line', async () => {
    const userId = user();
    const [first, second] = [product(), product()];
    await store.changeLine(userId, add(first, 2));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.changeLine(userId, add(second, 2));
    const result = await store.changeLine(userId, set(first, 7));
    expect(result.lines.map((line) => [line.variantId, line.quantity])).toEqual([
      [first, 7],
      [second, 2],
    ]);
  });

  it(`refuses a line beyond ${MAX_LINE_QUANTITY} units and writes nothing`, async () => {
    const userId = user();
    const id = product();
    expect((await store.changeLine(userId, add(id, MAX_LINE_QUANTITY))).refusal).toBeNull();
    const refused = await store.changeLine(userId, add(id, 1));
    expect(refused.refusal).toBe('LINE_QUANTITY_LIMIT');
    expect(refused.lines.map((line) => line.quantity)).toEqual([MAX_LINE_QUANTITY]);
    expect((await store.changeLine(userId, set(id, MAX_LINE_QUANTITY + 1))).refusal).toBe(
      'LINE_QUANTITY_LIMIT',
    );
    expect(await quantities(userId)).toEqual([[id, MAX_LINE_QUANTITY]]);
  });

  it('refuses to grow a line beyond the available stock, but lets it shrink', async () => {
    const userId = user();
    const id = product();
    expect((await store.changeLine(userId, add(id, 3, 3))).refusal).toBeNull();
    expect((await store.changeLine(userId, add(id, 1, 3))).refusal).toBe('STOCK');
    expect((await store.changeLine(userId, set(id, 4, 3))).refusal).toBe('STOCK');
    expect((await store.changeLine(userId, add(product(), 1, 0))).refusal).toBe('STOCK');
    // Stock fell to 1 since: reducing the line is still allowed.
    expect((await store.changeLine(userId, set(id, 2, 1))).refusal).toBeNull();
    expect(await quantities(userId)).toEqual([[id, 2]]);
  });

  it('removes one line, and removing an absent line changes nothing', async () => {
    const userId = user();
    const [kept, removed] = [product(), product()];
    await store.changeLine(userId, add(kept, 1));
    await store.changeLine(userId, add(removed, 1));
    expect((await store.removeLine(userId, removed)).map((line) => line.variantId)).toEqual([kept]);
    expect((await store.removeLine(userId, removed)).map((line) => line.variantId)).toEqual([kept]);
    expect(await store.removeLine(user(), removed)).toEqual([]);
  });

  it('clears a cart and leaves other carts alone', async () => {
    const [userId, other] = [user(), user()];
    const id = product();
    await store.changeLine(userId, add(id, 1));
    await store.changeLine(other, add(id, 4));
    await store.clear(userId);
    expect(await store.read(userId)).toEqual([]);
    expect(await quantities(other)).toEqual([[id, 4]]);
  });

  it("takes an order's units out once per order id", async () => {
    const userId = user();
    const [partly, fully, untouched, absent] = [product(), product(), product(), product()];
    await store.changeLine(userId, add(partly, 5));
    await store.changeLine(userId, add(fully, 2));
    await store.changeLine(userId, add(untouched, 1));
    const orderId = randomUUID();
    const items = [
      { variantId: partly, quantity: 2 },
      { variantId: fully, quantity: 1 },
      { variantId: fully, quantity: 1 }, // the same product twice: both count
      { variantId: absent, quantity: 3 },
    ];
    expect(await store.removeOrderedItems(userId, orderId, items)).toBe(true);
    const after = await quantities(userId);
    // As a map: lines added within one millisecond are listed by product id, not by insertion.
    expect(new Map(after.map((line) => [line[0], line[1]] as const))).toEqual(
      new Map([
        [partly, 3],
        [untouched, 1],
      ]),
    );
    expect(await store.removeOrderedItems(userId, orderId, items)).toBe(false);
    expect(await quantities(userId)).toEqual(after);
    expect(
      await store.removeOrderedItems(userId, randomUUID(), [{ variantId: partly, quantity: 9 }]),
    ).toBe(true);
    expect(await quantities(userId)).toEqual([[untouched, 1]]);
  });

  it('keeps a cart 30 days from its last use, and forgets it after', async () => {
    const userId = user();
    const id = product();
    await store.changeLine(userId, add(id, 1));
    const ttl = await harness.secondsToLive(userId);
    expect(ttl).toBeGreaterThan(CART_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(CART_TTL_SECONDS);
    await harness.expire(userId);
    expect(await store.read(userId)).toEqual([]);
    const result = await store.changeLine(userId, add(product(), 1));
    expect(result.lines.map((line) => line.variantId)).not.toContain(id);
    expect(result.lines).toHaveLength(1);
  });

  describe('merging a guest cart', () => {
    const guest = () => `guest:${randomUUID()}`;
    const addition = (variantId: string, quantity: number, available = 1_000) => ({
      variantId,
      quantity,
      available,
    });

    it('adds quantities to existing lines, caps them by stock and the line limit, and empties the guest cart', async () => {
      const [guestKey, userId] = [guest(), user()];
      const [shared, capped, limited, fresh] = [product(), product(), product(), product()];
      await store.changeLine(userId, add(shared, 2));
      await store.changeLine(userId, add(capped, 3));
      await store.changeLine(userId, add(limited, MAX_LINE_QUANTITY - 1));
      for (const [id, units] of [
        [shared, 3],
        [capped, 4],
        [limited, 5],
        [fresh, 1],
      ] as const)
        await store.changeLine(guestKey, add(id, units));
      const snapshot = await store.read(guestKey);
      const result = await store.mergeCart(guestKey, userId, snapshot, [
        addition(shared, 3),
        addition(capped, 4, 5), // 3 held + 4 wanted, 5 available: 2 join
        addition(limited, 5),
        addition(fresh, 1),
      ]);
      expect(result.applied).toBe(true);
      expect(result.mergedLines.map((line) => [line.variantId, line.merged, line.refusal])).toEqual(
        [
          [shared, 3, null],
          [capped, 2, 'STOCK'],
          [limited, 1, 'LINE_QUANTITY_LIMIT'],
          [fresh, 1, null],
        ],
      );
      const expected = new Map([
        [shared, 5],
        [capped, 5],
        [limited, MAX_LINE_QUANTITY],
        [fresh, 1],
      ]);
      expect(new Map(result.lines.map((line) => [line.variantId, line.quantity]))).toEqual(
        expected,
      );
      expect(new Map((await quantities(userId)).map(([id, units]) => [id, units]))).toEqual(
        expected,
      );
      expect(await store.read(guestKey)).toEqual([]);
    });

    it('never shrinks a line that already holds more than is available now', async () => {
      const [guestKey, userId] = [guest(), user()];
      const id = product();
      await store.changeLine(userId, add(id, 6));
      await store.changeLine(guestKey, add(id, 2));
      const result = await store.mergeCart(guestKey, userId, await store.read(guestKey), [
        addition(id, 2, 4),
      ]);
      expect(result.mergedLines).toEqual([
        { variantId: id, requested: 2, merged: 0, refusal: 'STOCK' },
      ]);
      expect(await quantities(userId)).toEqual([[id, 6]]);
    });

    it(`adds new lines only while the cart holds fewer than ${MAX_CART_LINES}`, async () => {
      const [guestKey, userId] = [guest(), user()];
      for (let i = 0; i < MAX_CART_LINES - 1; i++)
        await store.changeLine(userId, add(product(), 1));
      const [joins, refused] = [product(), product()];
      await store.changeLine(guestKey, add(joins, 1));
      await store.changeLine(guestKey, add(refused, 1));
      const result = await store.mergeCart(guestKey, userId, await store.read(guestKey), [
        addition(joins, 1),
        addition(refused, 1),
      ]);
      expect(result.mergedLines.map((line) => [line.merged, line.refusal])).toEqual([
        [1, null],
        [0, 'CART_LINE_LIMIT'],
      ]);
      expect(await store.read(userId)).toHaveLength(MAX_CART_LINES);
    });

    it('applies one snapshot once: a retry and a concurrent merge add nothing again', async () => {
      const [guestKey, userId] = [guest(), user()];
      const id = product();
      await store.changeLine(guestKey, add(id, 3));
      const snapshot = await store.read(guestKey);
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.mergeCart(guestKey, userId, snapshot, [addition(id, 3)]),
        ),
      );
      expect(results.filter((result) => result.applied)).toHaveLength(1);
      expect(results.filter((result) => !result.applied).map((r) => r.mergedLines)).toEqual([
        [],
        [],
        [],
        [],
      ]);
      const retried = await store.mergeCart(guestKey, userId, snapshot, [addition(id, 3)]);
      expect(retried.applied).toBe(false);
      expect(await quantities(userId)).toEqual([[id, 3]]);
      expect(await store.read(guestKey)).toEqual([]);
    });

    it('leaves in the guest cart what was added to it after it was read, for a later merge', async () => {
      const [guestKey, userId] = [guest(), user()];
      const [early, late] = [product(), product()];
      await store.changeLine(guestKey, add(early, 2));
      const snapshot = await store.read(guestKey);
      await store.changeLine(guestKey, add(early, 1));
      await store.changeLine(guestKey, add(late, 4));
      await store.mergeCart(guestKey, userId, snapshot, [addition(early, 2)]);
      expect(new Map((await quantities(guestKey)).map(([id, units]) => [id, units]))).toEqual(
        new Map([
          [early, 1],
          [late, 4],
        ]),
      );
      const second = await store.read(guestKey);
      const result = await store.mergeCart(guestKey, userId, second, [
        addition(early, 1),
        addition(late, 4),
      ]);
      expect(result.applied).toBe(true);
      expect(new Map((await quantities(userId)).map(([id, units]) => [id, units]))).toEqual(
        new Map([
          [early, 3],
          [late, 4],
        ]),
      );
      expect(await store.read(guestKey)).toEqual([]);
    });
  });

  it(`100 concurrent +1 adds end at exactly ${MAX_LINE_QUANTITY}, the rest refused: no lost or double update`, async () => {
    const userId = user();
    const id = product();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => store.changeLine(userId, add(id, 1))),
    );
    const accepted = results.filter((result) => result.refusal === null).length;
    const refused = results.filter((result) => result.refusal === 'LINE_QUANTITY_LIMIT').length;
    expect([accepted, refused]).toEqual([MAX_LINE_QUANTITY, 100 - MAX_LINE_QUANTITY]);
    expect(await quantities(userId)).toEqual([[id, MAX_LINE_QUANTITY]]);
  });

  it('concurrent +1 adds below the cap all count', async () => {
    const userId = user();
    const id = product();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => store.changeLine(userId, add(id, 1))),
    );
    expect(results.every((result) => result.refusal === null)).toBe(true);
    expect(await quantities(userId)).toEqual([[id, 40]]);
  });

  it(`concurrent adds of new products stop at exactly ${MAX_CART_LINES} lines; existing lines still change`, async () => {
    const userId = user();
    const results = await Promise.all(
      Array.from({ length: MAX_CART_LINES + 10 }, () =>
        store.changeLine(userId, add(product(), 1)),
      ),
    );
    const refused = results.filter((result) => result.refusal === 'CART_LINE_LIMIT');
    expect(refused).toHaveLength(10);
    expect(refused[0]!.lines).toHaveLength(MAX_CART_LINES);
    const lines = await store.read(userId);
    expect(lines).toHaveLength(MAX_CART_LINES);
    expect((await store.changeLine(userId, add(lines[0]!.variantId, 1))).refusal).toBeNull();
    expect((await store.changeLine(userId, add(product(), 1))).refusal).toBe('CART_LINE_LIMIT');
  });
});

describe('PostgresCartStore', () => {
  it('drops the rows of expired carts when it starts, keeping live ones', async () => {
    const db = await createTestDatabase();
    try {
      const store = new PostgresCartStore(db.prisma);
      const [expired, live] = [randomUUID(), randomUUID()];
      await store.changeLine(expired, add(randomUUID(), 1));
      await store.changeLine(live, add(randomUUID(), 1));
      await db.prisma
        .$executeRaw`UPDATE carts SET expires_at = now() - interval '1 second' WHERE user_id = ${expired}`;
      await store.init();
      const owners = await db.prisma.$queryRaw<
        { user_id: string }[]
      >`SELECT user_id FROM cart_items`;
      expect(owners.map((row) => row.user_id)).toEqual([live]);
    } finally {
      await db.drop();
    }
  });
});
