import { createHash } from 'node:crypto';
import type { Config } from '@microshop/config';
import type { Db } from '@microshop/db';
import type { Lifecycle, Logger } from '@microshop/runtime';

/** A line at most holds this many units of one product variant. */
export const MAX_LINE_QUANTITY = 99;
/** A cart at most holds this many lines (distinct variants). */
export const MAX_CART_LINES = 100;
/** A cart nobody read or changed for this long is dropped (sliding: every use restarts the clock). */
export const CART_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * One line of a stored cart: what the cart keeps of a product variant is its id and a quantity.
 * (Lines stored before variants hold a product id, which is its single variant's id.)
 */
export interface CartLine {
  variantId: string;
  quantity: number;
  /** When the variant first entered the cart: lines are listed in this order. */
  addedAt: Date;
}

/** A change of one line, checked against every limit inside the store's atomic operation. */
export interface LineChange {
  variantId: string;
  /** Units to add to the line (`add`) or the line's new quantity (`set`); at least 1. */
  quantity: number;
  mode: 'add' | 'set';
  /** Units the catalog can sell now: a change that grows the line may not go beyond it. */
  available: number;
}

/** Why the store refused a change (nothing was written). */
export type LineChangeRefusal = 'LINE_QUANTITY_LIMIT' | 'CART_LINE_LIMIT' | 'STOCK';

export interface LineChangeResult {
  /** The cart after the change, or as it is when the change was refused. */
  lines: CartLine[];
  refusal: LineChangeRefusal | null;
}

/** The units of each variant an order took out of the cart. */
export interface OrderedItem {
  variantId: string;
  quantity: number;
}

/** A guest line to add to another cart, with the units the catalog can sell now. */
export interface MergeAddition {
  variantId: string;
  quantity: number;
  available: number;
}

/** What merging one guest line did: how many of its units went into the target cart, and why not all. */
export interface MergedLine {
  variantId: string;
  requested: number;
  merged: number;
  refusal: LineChangeRefusal | null;
}

export interface MergeResult {
  /** The target cart after the merge. */
  lines: CartLine[];
  /** Per addition, what was merged; empty when this snapshot had been merged before. */
  mergedLines: MergedLine[];
  /** False when this snapshot had been merged before: nothing changed this time. */
  applied: boolean;
}

/**
 * How many units of a guest line join a target line already holding `current`: all of them, or as
 * many as the line limit and the stock allow, never shrinking the target line (it may already hold
 * more than is available now). The Redis store's merge script applies the same rule.
 */
export function mergedUnits(
  current: number,
  requested: number,
  available: number,
): { merged: number; refusal: LineChangeRefusal | null } {
  const byStock = Math.max(current, available);
  const cap = Math.min(MAX_LINE_QUANTITY, byStock);
  if (current + requested <= cap) return { merged: requested, refusal: null };
  return {
    merged: Math.max(0, cap - current),
    refusal: MAX_LINE_QUANTITY <= byStock ? 'LINE_QUANTITY_LIMIT' : 'STOCK',
  };
}

/**
 * Names one read of a guest cart: a merge of the same read applied twice (a retry after a crash
 * between its steps) is recognised by it and applied once.
 */
export function snapshotId(fromKey: string, snapshot: CartLine[]): string {
  const hash = createHash('sha256').update(fromKey);
  for (const line of sortLines([...snapshot]))
    hash.update(`|${line.variantId}:${line.quantity}:${line.addedAt.getTime()}`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * Where carts live. Every method is one atomic step of the backend (a Lua script in Redis, a
 * transaction holding the cart's row lock in PostgreSQL), so concurrent changes of one cart
 * never lose or double an update, and the limits hold under any concurrency.
 */
export interface CartStore extends Lifecycle {
  // Every method names a cart by its key: a user's id, or a guest cart's key (`guestCartKey`).
  /** The cart's lines, oldest first (empty when there is no cart); restarts its expiry. */
  read(userId: string): Promise<CartLine[]>;
  changeLine(userId: string, change: LineChange): Promise<LineChangeResult>;
  /** Removes one variant's line (absent: nothing changes); returns the cart after it. */
  removeLine(userId: string, variantId: string): Promise<CartLine[]>;
  clear(userId: string): Promise<void>;
  /**
   * Takes an order's units out of the cart (lines left with nothing are removed), once per order id:
   * returns false, changing nothing, when this order was already applied.
   */
  removeOrderedItems(userId: string, orderId: string, items: OrderedItem[]): Promise<boolean>;
  /**
   * Merges a guest cart into another: adds `additions` (each capped by `mergedUnits`; a new line
   * only while the target has fewer than MAX_CART_LINES) and takes `snapshot`, the guest cart as it
   * was read, out of the guest cart (lines added to it since stay there for a later merge). Applied
   * once per snapshot, however often it is retried.
   */
  mergeCart(
    fromKey: string,
    intoKey: string,
    snapshot: CartLine[],
    additions: MergeAddition[],
  ): Promise<MergeResult>;
  /** Throws when the backend cannot be reached. */
  ping(): Promise<void>;
}

/** The backend holding carts cannot be reached now; the caller should try again later. */
export class CartStoreUnavailableError extends Error {
  override name = 'CartStoreUnavailableError';
}

/** Lines in the order a shopper added them (the id breaks ties so the order is stable). */
export function sortLines(lines: CartLine[]): CartLine[] {
  return lines.sort(
    (a, b) => a.addedAt.getTime() - b.addedAt.getTime() || a.variantId.localeCompare(b.variantId),
  );
}

/** Sums the units per variant, so an order listing a variant twice removes both quantities. */
export function unitsPerVariant(items: OrderedItem[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const item of items)
    units.set(item.variantId, (units.get(item.variantId) ?? 0) + item.quantity);
  return units;
}

/**
 * The cart store chosen by configuration: Redis when REDIS_URL is set (its client is imported only
 * then), otherwise the PostgreSQL tables of the embedded default. Returned initialised.
 */
export async function createCartStore(
  config: Pick<Config, 'redis' | 'namespace'>,
  deps: { db: Db; logger: Logger },
): Promise<CartStore> {
  let store: CartStore;
  if (config.redis.kind === 'redis') {
    const { RedisCartStore } = await import('./cart-store.redis.ts');
    store = new RedisCartStore({
      url: config.redis.url,
      namespace: config.namespace,
      logger: deps.logger,
    });
  } else {
    const { PostgresCartStore } = await import('./cart-store.postgres.ts');
    store = new PostgresCartStore(deps.db);
  }
  await store.init();
  return store;
}
