import {
  badUserInput,
  decodeCursor,
  decodeSortedCursor,
  encodeCursor,
  encodeSortedCursor,
} from '@microshop/runtime';
import type { ProductRecord } from './product.repository.ts';

/** The orders a product listing can be read in (Query.products' `sortKey`). */
export type ListingSortKey = 'CREATED_AT' | 'PRICE' | 'NAME';

export interface ListingOrder {
  key: ListingSortKey;
  /** Descending (newest, dearest, Z first) instead of ascending. */
  reverse: boolean;
}

/** The listing's order before sorting existed: oldest first. Its cursors keep their old form. */
export const DEFAULT_LISTING_ORDER: ListingOrder = { key: 'CREATED_AT', reverse: false };

/** The product column each key sorts by; the id breaks ties in the same direction. */
export const LISTING_COLUMN = {
  CREATED_AT: 'createdAt',
  PRICE: 'priceAmount',
  NAME: 'name',
} as const satisfies Record<ListingSortKey, keyof ProductRecord>;

/** Where a page starts: the sort column's value of the last row read, and its id. */
export interface ListingPosition {
  value: Date | number | string;
  id: string;
}

const isDefault = (order: ListingOrder) =>
  order.key === DEFAULT_LISTING_ORDER.key && order.reverse === DEFAULT_LISTING_ORDER.reverse;

/** The opaque cursor of a row in a listing of `order`: it names the order, so it is only valid in it. */
export function encodeListingCursor(order: ListingOrder, product: ProductRecord): string {
  if (isDefault(order)) return encodeCursor(product);
  const value = product[LISTING_COLUMN[order.key]];
  return encodeSortedCursor(
    { key: order.key, descending: order.reverse },
    { value: value instanceof Date ? value.toISOString() : value, id: product.id },
  );
}

/** The position a cursor of `order` names; a cursor of another order, or none, is BAD_USER_INPUT. */
export function decodeListingCursor(order: ListingOrder, cursor: string): ListingPosition {
  if (isDefault(order)) {
    const position = decodeCursor(cursor);
    return { value: position.createdAt, id: position.id };
  }
  const position = decodeSortedCursor({ key: order.key, descending: order.reverse }, cursor);
  if (position) {
    const { value, id } = position;
    const valueFits =
      order.key === 'PRICE'
        ? typeof value === 'number'
        : typeof value === 'string' && (order.key === 'NAME' || !Number.isNaN(Date.parse(value)));
    if (valueFits) {
      return {
        value: order.key === 'CREATED_AT' ? new Date(value as string) : (value as number | string),
        id,
      };
    }
  }
  throw badUserInput('`after` is not a cursor of this listing in this order', ['after']);
}
