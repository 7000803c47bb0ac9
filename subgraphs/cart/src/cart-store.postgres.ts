import { Prisma, type Db, type Tx } from '@microshop/db';
import {
  CART_TTL_SECONDS,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  mergedUnits,
  snapshotId,
  sortLines,
  unitsPerVariant,
  type CartLine,
  type CartStore,
  type LineChange,
  type LineChangeRefusal,
  type LineChangeResult,
  type MergeAddition,
  type MergedLine,
  type MergeResult,
  type OrderedItem,
} from './cart-store.ts';

/** A constant, not a parameter: the cart lifetime as an SQL interval. */
const TTL = Prisma.raw(`interval '${CART_TTL_SECONDS} seconds'`);
/** Reads restart the expiry at most once a day, so reading a cart is rarely a write. */
const READ_REFRESH_AFTER = Prisma.raw(`interval '${CART_TTL_SECONDS - 24 * 60 * 60} seconds'`);
/** Changes of one cart queue on its row lock: wait long enough for a burst of them. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 10_000 };

interface LineRow {
  variant_id: string;
  quantity: number;
  added_at: Date;
}

function toLines(rows: LineRow[]): CartLine[] {
  return rows.map((row) => ({
    variantId: row.variant_id,
    quantity: row.quantity,
    addedAt: row.added_at,
  }));
}

/** The limits, checked in the order the Redis store's script checks them. */
function refusalOf(
  lines: CartLine[],
  change: LineChange,
  current: CartLine | undefined,
  wanted: number,
): LineChangeRefusal | null {
  if (!current && lines.length >= MAX_CART_LINES) return 'CART_LINE_LIMIT';
  if (wanted > MAX_LINE_QUANTITY) return 'LINE_QUANTITY_LIMIT';
  if (wanted > (current?.quantity ?? 0) && wanted > change.available) return 'STOCK';
  return null;
}

/**
 * The embedded default: carts in the service's PostgreSQL (durable across restarts of `npm start`).
 * Every change runs in one transaction that first locks the cart's row in `carts`, so the changes
 * of one cart are serialised and the limits (units per line, lines per cart, stock) are checked
 * against what is committed, as the Redis store's Lua scripts do.
 */
export class PostgresCartStore implements CartStore {
  constructor(private readonly db: Db) {}

  /**
   * Drops the carts whose 30 days ran out (they read as empty already; this reclaims their rows).
   * The database client itself is opened and closed by its owner (start.ts), which shares it.
   */
  async init(): Promise<void> {
    await this.db.$executeRaw`DELETE FROM carts WHERE expires_at <= now()`;
  }

  async close(): Promise<void> {}

  async read(userId: string): Promise<CartLine[]> {
    // One statement: restart a live cart's expiry (when a day of it has passed) and read its lines.
    const rows = await this.db.$queryRaw<LineRow[]>`
      WITH refreshed AS (
        UPDATE carts SET expires_at = now() + ${TTL}
        WHERE user_id = ${userId} AND expires_at > now() AND expires_at < now() + ${READ_REFRESH_AFTER}
      )
      SELECT i.variant_id, i.quantity, i.added_at
      FROM cart_items i JOIN carts c ON c.user_id = i.user_id
      WHERE i.user_id = ${userId} AND c.expires_at > now()
      ORDER BY i.added_at, i.variant_id`;
    return toLines(rows);
  }

  async changeLine(userId: string, change: LineChange): Promise<LineChangeResult> {
    return this.withLockedCart(userId, async (tx, lines) => {
      const current = lines.find((line) => line.variantId === change.variantId);
      const wanted =
        change.mode === 'add' ? (current?.quantity ?? 0) + change.quantity : change.quantity;
      const refusal = refusalOf(lines, change, current, wanted);
      if (refusal) {
        await tx.$executeRaw`UPDATE carts SET expires_at = now() + ${TTL} WHERE user_id = ${userId}`;
        return { lines, refusal };
      }
      const written = await tx.$queryRaw<LineRow[]>`
        WITH touched AS (UPDATE carts SET expires_at = now() + ${TTL} WHERE user_id = ${userId})
        INSERT INTO cart_items (user_id, variant_id, quantity) VALUES (${userId}, ${change.variantId}, ${wanted})
        ON CONFLICT (user_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity
        RETURNING variant_id, quantity, added_at`;
      const others = lines.filter((line) => line !== current);
      return { lines: sortLines([...others, ...toLines(written)]), refusal: null };
    });
  }

  async removeLine(userId: string, variantId: string): Promise<CartLine[]> {
    return this.withLockedCart(userId, async (tx, lines) => {
      await tx.$executeRaw`
        WITH touched AS (UPDATE carts SET expires_at = now() + ${TTL} WHERE user_id = ${userId})
        DELETE FROM cart_items WHERE user_id = ${userId} AND variant_id = ${variantId}`;
      return lines.filter((line) => line.variantId !== variantId);
    });
  }

  async clear(userId: string): Promise<void> {
    // The cart row goes, and its lines with it (ON DELETE CASCADE), in one statement.
    await this.db.$executeRaw`DELETE FROM carts WHERE user_id = ${userId}`;
  }

  async removeOrderedItems(
    userId: string,
    orderId: string,
    items: OrderedItem[],
  ): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      await lockCart(tx, userId);
      if (!(await markApplied(tx, orderId, userId))) return false;
      await takeOut(tx, userId, items);
      return true;
    }, TRANSACTION_OPTIONS);
  }

  /** One transaction holding both carts' row locks, taken in key order so merges never deadlock. */
  async mergeCart(
    fromKey: string,
    intoKey: string,
    snapshot: CartLine[],
    additions: MergeAddition[],
  ): Promise<MergeResult> {
    return this.db.$transaction(async (tx) => {
      const locked = new Map<string, CartLine[]>();
      for (const key of [fromKey, intoKey].sort()) locked.set(key, await lockCart(tx, key));
      const target = locked.get(intoKey) ?? [];
      if (!(await markApplied(tx, `merge:${snapshotId(fromKey, snapshot)}`, intoKey))) {
        return { lines: target, mergedLines: [], applied: false };
      }
      // Every outcome first (a new line counts against the limit for the ones after it), then
      // every changed line in one statement.
      const quantities = new Map(target.map((line) => [line.variantId, line.quantity]));
      const mergedLines: MergedLine[] = [];
      const changed = new Map<string, number>();
      for (const addition of additions) {
        const current = quantities.get(addition.variantId);
        const outcome =
          current === undefined && quantities.size >= MAX_CART_LINES
            ? { merged: 0, refusal: 'CART_LINE_LIMIT' as const }
            : mergedUnits(current ?? 0, addition.quantity, addition.available);
        mergedLines.push({
          variantId: addition.variantId,
          requested: addition.quantity,
          ...outcome,
        });
        if (outcome.merged === 0) continue;
        const quantity = (current ?? 0) + outcome.merged;
        quantities.set(addition.variantId, quantity);
        changed.set(addition.variantId, quantity);
      }
      const written =
        changed.size === 0
          ? []
          : await tx.$queryRaw<LineRow[]>`
              INSERT INTO cart_items (user_id, variant_id, quantity)
              SELECT ${intoKey}, c.variant_id, c.quantity
              FROM unnest(${[...changed.keys()]}::text[], ${[...changed.values()]}::int[]) AS c(variant_id, quantity)
              ON CONFLICT (user_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity
              RETURNING variant_id, quantity, added_at`;
      const lines = [...target.filter((line) => !changed.has(line.variantId)), ...toLines(written)];
      await tx.$executeRaw`UPDATE carts SET expires_at = now() + ${TTL} WHERE user_id = ${intoKey}`;
      await takeOut(tx, fromKey, snapshot);
      return { lines: sortLines(lines), mergedLines, applied: true };
    }, TRANSACTION_OPTIONS);
  }

  async ping(): Promise<void> {
    await this.db.$queryRaw`SELECT 1`;
  }

  /** Runs `work` holding the cart's row lock, with the cart's lines as committed (see `lockCart`). */
  private async withLockedCart<T>(
    userId: string,
    work: (tx: Tx, lines: CartLine[]) => Promise<T>,
  ): Promise<T> {
    return this.db.$transaction(
      async (tx) => work(tx, await lockCart(tx, userId)),
      TRANSACTION_OPTIONS,
    );
  }
}

/**
 * Takes the cart's row lock and returns its lines as committed: the cart is created when there is
 * none, and emptied first when it expired. The caller restarts the expiry with its write.
 */
async function lockCart(tx: Tx, key: string): Promise<CartLine[]> {
  // DO UPDATE (changing nothing) rather than DO NOTHING: it locks an existing row and returns it.
  const [cart] = await tx.$queryRaw<{ expired: boolean }[]>`
    INSERT INTO carts (user_id, expires_at) VALUES (${key}, now() + ${TTL})
    ON CONFLICT (user_id) DO UPDATE SET expires_at = carts.expires_at
    RETURNING expires_at <= now() AS expired`;
  if (cart?.expired) {
    await tx.$executeRaw`DELETE FROM cart_items WHERE user_id = ${key}`;
    return [];
  }
  const lines = await tx.$queryRaw<LineRow[]>`
    SELECT variant_id, quantity, added_at FROM cart_items
    WHERE user_id = ${key} ORDER BY added_at, variant_id`;
  return toLines(lines);
}

/**
 * Marks a change applied to a cart (an order's removal, a merged snapshot), within the change's
 * transaction: false when it was applied before. Markers older than a cart's lifetime are pruned.
 */
async function markApplied(tx: Tx, marker: string, key: string): Promise<boolean> {
  const marked = await tx.$executeRaw`
    INSERT INTO cart_order_removals (order_id, user_id) VALUES (${marker}, ${key})
    ON CONFLICT (order_id) DO NOTHING`;
  // Redelivery and retries happen within minutes; a marker older than a cart's lifetime guards nothing.
  await tx.$executeRaw`DELETE FROM cart_order_removals WHERE applied_at < now() - ${TTL}`;
  return marked > 0;
}

/** Takes units out of a locked cart, removing the lines left with none, and restarts its expiry. */
async function takeOut(tx: Tx, key: string, items: OrderedItem[]): Promise<void> {
  const units = unitsPerVariant(items);
  await tx.$executeRaw`
    UPDATE cart_items i SET quantity = i.quantity - o.quantity
    FROM unnest(${[...units.keys()]}::text[], ${[...units.values()]}::int[]) AS o(variant_id, quantity)
    WHERE i.user_id = ${key} AND i.variant_id = o.variant_id`;
  await tx.$executeRaw`
    WITH touched AS (UPDATE carts SET expires_at = now() + ${TTL} WHERE user_id = ${key})
    DELETE FROM cart_items WHERE user_id = ${key} AND quantity <= 0`;
}
