import {
  decodeCursorParts,
  decodeSortedCursor,
  encodeCursorParts,
  encodeSortedCursor,
} from '@microshop/runtime';
import {
  InvalidCursorError,
  type Facet,
  type FacetValue,
  type OptionFilter,
  type SearchDocument,
  type SearchSort,
} from './types.ts';

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

/** Position of a hit in its order: its sort value (score, price, name, epoch ms), then its id. */
export interface CursorPosition {
  value: number | string;
  id: string;
}

const RELEVANCE: SearchSort = { key: 'relevance', descending: false };

/** The sort a request asks for: relevance unless told otherwise (which is never descending). */
export function sortOf(request: { sort?: SearchSort | null }): SearchSort {
  const sort = request.sort ?? RELEVANCE;
  return sort.key === 'relevance' ? RELEVANCE : sort;
}

/**
 * The cursor of a hit: `[score, id]` in relevance order (the form cursors had before sorting),
 * `[key, descending, value, id]` in any other, so a cursor is only accepted in its own order.
 */
export function encodeCursor(sort: SearchSort, position: CursorPosition): string {
  return sort.key === 'relevance'
    ? encodeCursorParts([position.value, position.id])
    : encodeSortedCursor(sort, position);
}

export function decodeCursor(sort: SearchSort, cursor: string): CursorPosition {
  const position =
    sort.key === 'relevance' ? relevanceCursor(cursor) : decodeSortedCursor(sort, cursor);
  const valueFits =
    sort.key === 'name' ? typeof position?.value === 'string' : typeof position?.value === 'number';
  if (position && valueFits) return { value: position.value as number | string, id: position.id };
  throw new InvalidCursorError('Invalid search cursor');
}

/** `[score, id]`: a cursor in relevance order. */
function relevanceCursor(cursor: string): { value: unknown; id: string } | undefined {
  const [value, id] = decodeCursorParts(cursor, 2) ?? [];
  return typeof id === 'string' ? { value, id } : undefined;
}

/** An option value as documents and filters hold it: `name=value`, lowercased. */
export function optionToken(option: { name: string; value: string }): string {
  return `${option.name.trim().toLowerCase()}=${option.value.trim().toLowerCase()}`;
}

/** The option tokens of any of a document's variants, once each: what option facets count. */
export function documentOptions(document: SearchDocument): string[] {
  return [...new Set(document.variants.flatMap((variant) => variant.options))];
}

/** The tokens of an option filter grouped by option name: any within a group, every group. */
export function optionGroups(options: readonly OptionFilter[] | null | undefined): string[][] {
  const groups = new Map<string, string[]>();
  for (const option of options ?? []) {
    const name = option.name.trim().toLowerCase();
    groups.set(name, [...(groups.get(name) ?? []), optionToken(option)]);
  }
  return [...groups.values()];
}

/** The largest number of option values (name=value tokens) the option facets report in all. */
export const OPTION_FACET_SIZE = 200;

/** `option:<name>` facets from counts per `name=value` token, values by count. */
export function optionFacets(tokens: FacetValue[]): Facet[] {
  const byName = new Map<string, FacetValue[]>();
  for (const token of tokens) {
    const split = token.value.indexOf('=');
    if (split < 0) continue;
    const name = token.value.slice(0, split);
    byName.set(name, [
      ...(byName.get(name) ?? []),
      { value: token.value.slice(split + 1), count: token.count },
    ]);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, values]) => ({
      name: `option:${name}`,
      values: values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    }));
}

/**
 * Facets in a fixed shape: categories by count, every price band (zero counts included), then
 * one facet per option name.
 */
export function buildFacets(
  categories: FacetValue[],
  priceCounts: Map<string, number>,
  optionTokens: FacetValue[] = [],
): Facet[] {
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
    ...optionFacets(optionTokens),
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
