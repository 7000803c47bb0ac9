import { InvalidCursorError, type Facet, type FacetValue } from './types.ts';

/**
 * Price bands of the `price` facet, in minor units; lower bound inclusive, upper exclusive.
 * Both implementations bucket with this one list, so their facets cannot disagree.
 */
export const PRICE_BANDS: ReadonlyArray<{ key: string; from?: number; to?: number }> = [
  { key: '*-2500', to: 2500 },
  { key: '2500-5000', from: 2500, to: 5000 },
  { key: '5000-10000', from: 5000, to: 10000 },
  { key: '10000-25000', from: 10000, to: 25000 },
  { key: '25000-*', from: 25000 },
];

/** The largest number of category values a facet reports. */
export const CATEGORY_FACET_SIZE = 50;

/** Stable name readers use for a namespace's product index (the namespace is a prefix, e.g. `t1a2b-`). */
export function aliasName(namespace: string): string {
  return `${namespace}products`;
}

/** A new version's name: alias + timestamp, so versions sort by age and never collide in practice. */
export function versionedName(alias: string): string {
  return `${alias}-v${Date.now()}${Math.floor(Math.random() * 1000)
    .toString()
    .padStart(3, '0')}`;
}

/** Position of a hit in relevance order: its score, then its id as the tiebreak. */
export interface CursorPosition {
  score: number;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.score, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return { score: value[0], id: value[1] };
    }
  } catch {
    // fall through: any undecodable cursor is the caller's mistake
  }
  throw new InvalidCursorError('Invalid search cursor');
}

/** Facets in a fixed shape: every price band (zero counts included), categories by count. */
export function buildFacets(categories: FacetValue[], priceCounts: Map<string, number>): Facet[] {
  return [
    {
      name: 'category',
      values: [...categories].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    },
    {
      name: 'price',
      values: PRICE_BANDS.map((band) => ({
        value: band.key,
        count: priceCounts.get(band.key) ?? 0,
      })),
    },
  ];
}

/** Words of a query as the engines should see them: letters and digits only, lowercased. */
export function queryTerms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, 16);
}
