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

/**
 * Where carts live. Every method is one atomic step of the backend (a Lua script in Redis, a
 * transaction holding the cart's row lock in PostgreSQL), so concurrent changes of one cart
 * never lose or double an update, and the limits hold under any concurrency.
 */
export interface CartStore extends Lifecycle {
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
