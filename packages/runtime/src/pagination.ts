import { badUserInput } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs in the database: anything else names no row, and must not reach SQL as one. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The largest page a connection serves; more is a BAD_USER_INPUT, never a silent cut. */
export const MAX_PAGE_SIZE = 100;

/** Rejects a page size outside 0..MAX_PAGE_SIZE with BAD_USER_INPUT. */
export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, ['first']);
  }
}

/** A row's place in a listing ordered by creation time, the id breaking ties. */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

/** The opaque `after` cursor of a row in a creation-time listing. */
export function encodeCursor(position: ListPosition): string {
  return encodeCursorParts([position.createdAt.toISOString(), position.id]);
}

/** The position an `after` cursor of `encodeCursor` names; anything else is BAD_USER_INPUT. */
export function decodeCursor(cursor: string): ListPosition {
  const [createdAtText, id] = decodeCursorParts(cursor, 2) ?? [];
  if (typeof createdAtText === 'string' && typeof id === 'string' && isUuid(id)) {
    const createdAt = new Date(createdAtText);
    if (!Number.isNaN(createdAt.getTime())) return { createdAt, id };
  }
  throw badUserInput('`after` is not a cursor of this connection', ['after']);
}

/** Every opaque cursor: a short JSON array, base64url-encoded. */
export function encodeCursorParts(parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The array a cursor of `encodeCursorParts` holds, if it holds one of `length` parts. */
export function decodeCursorParts(cursor: string, length: number): unknown[] | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return Array.isArray(decoded) && decoded.length === length ? decoded : undefined;
}

/** An order a cursor names: a sort key and its direction. */
export interface CursorOrder {
  key: string;
  descending: boolean;
}

/**
 * The opaque cursor of a row in a list sorted by `order`: `[key, descending, value, id]`, so it
 * names its order and is accepted only in it (product listings and searches alike).
 */
export function encodeSortedCursor(
  order: CursorOrder,
  position: { value: string | number; id: string },
): string {
  return encodeCursorParts([order.key, order.descending, position.value, position.id]);
}

/**
 * The sort value and id a cursor of `encodeSortedCursor` names, if it was made in `order`;
 * undefined for anything else. What the value must look like is the caller's to check.
 */
export function decodeSortedCursor(
  order: CursorOrder,
  cursor: string,
): { value: unknown; id: string } | undefined {
  const [key, descending, value, id] = decodeCursorParts(cursor, 4) ?? [];
  return key === order.key && descending === order.descending && typeof id === 'string'
    ? { value, id }
    : undefined;
}

/** A Relay-style connection: edges with cursors, page info and the count of all pages. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** The connection of the `first + 1` rows a listing read (see `pageOf`). */
export function connectionOf<T extends ListPosition>(
  rows: T[],
  first: number,
  totalCount: number,
): Connection<T> {
  const { nodes, cursors, hasNextPage } = pageOf(rows, first);
  return {
    edges: nodes.map((node, position) => ({ cursor: cursors[position]!, node })),
    pageInfo: { hasNextPage, endCursor: cursors.at(-1) ?? null },
    totalCount,
  };
}

/** A page from the `first + 1` rows a listing read: the extra row only tells that more follow. */
export function pageOf<T extends ListPosition>(
  rows: T[],
  first: number,
): { nodes: T[]; cursors: string[]; hasNextPage: boolean } {
  const nodes = rows.slice(0, first);
  return { nodes, cursors: nodes.map(encodeCursor), hasNextPage: rows.length > first };
}
