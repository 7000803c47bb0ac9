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
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

/** The position an `after` cursor of `encodeCursor` names; anything else is BAD_USER_INPUT. */
export function decodeCursor(cursor: string): ListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      isUuid(value[1])
    ) {
      const createdAt = new Date(value[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: value[1] };
    }
  } catch {
    // fall through: any undecodable cursor is the same bad input
  }
  throw badUserInput('`after` is not a cursor of this connection', ['after']);
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
