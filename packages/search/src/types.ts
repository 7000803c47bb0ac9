import type { Lifecycle } from '@microshop/runtime';

/** What the index holds per product: enough to match, filter and facet without the database. */
export interface SearchDocument {
  id: string;
  sku: string;
  name: string;
  description: string;
  categorySlug: string | null;
  priceAmount: number;
  currency: string;
  /** Units available to sell (on hand minus reserved) when the document was written. */
  stock: number;
  /** When the product was created (the `createdAt` sort). */
  createdAt: Date;
  /** Its sellable variants, each with its own option values (filters match within one). */
  variants: SearchVariant[];
}

export interface SearchVariant {
  /** The variant's option values as `name=value` tokens, lowercased (see `optionToken`). */
  options: string[];
}

/** One option value a search filters by, e.g. `{ name: 'Colour', value: 'Red' }`. */
export interface OptionFilter {
  name: string;
  value: string;
}

export interface SearchFilter {
  /** Documents of any of these categories (the catalog passes a category and its descendants). */
  categorySlugs?: readonly string[] | null;
  minPrice?: number | null;
  maxPrice?: number | null;
  inStockOnly?: boolean | null;
  /**
   * Documents with one variant having these option values: any of the values given for one name,
   * every name given (e.g. colour red or blue, and size M), all on the same variant.
   */
  options?: readonly OptionFilter[] | null;
}

/** The orders search results come in: relevance (best first), or by a field either way. */
export type SearchSortKey = 'relevance' | 'price' | 'name' | 'createdAt';

export interface SearchSort {
  key: SearchSortKey;
  /** Descending; relevance is always best first. */
  descending: boolean;
}

export interface SearchRequest {
  /** Free text; never empty (callers reject blank queries before they get here). */
  query: string;
  first: number;
  /** The cursor of the last hit of the previous page. */
  after?: string | null;
  filter?: SearchFilter | null;
  /** Relevance when absent; a cursor is valid only in the order it came from. */
  sort?: SearchSort | null;
  /** Compute the facets (aggregations cost the engine work: ask only when they are shown). */
  facets?: boolean;
}

export interface SearchHit {
  id: string;
  /** Opaque; pass it back as `after` to continue after this hit. */
  cursor: string;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface Facet {
  /** `category`, `price`, or `option:<name>` (the option's name lowercased, e.g. `option:colour`). */
  name: string;
  values: FacetValue[];
}

export interface SearchResult {
  hits: SearchHit[];
  hasNextPage: boolean;
  /** Every document matching query and filter, across pages. */
  totalCount: number;
  /**
   * Counts over every document matching query and filter, each document counted once per value
   * (option values: of any of its variants); empty unless asked for.
   */
  facets: Facet[];
}

/**
 * The product search port. Writes are idempotent upserts keyed by id; `alias` is the stable name
 * readers use while `reindex` builds a new versioned index behind it and swaps atomically.
 */
export interface SearchIndex extends Lifecycle {
  readonly engine: 'elasticsearch' | 'opensearch' | 'postgres';
  /**
   * Creates the first versioned index and its alias when there is none; true when it did (the
   * caller then fills it from the source of truth).
   */
  ensureIndex(): Promise<boolean>;
  upsert(documents: SearchDocument[]): Promise<void>;
  delete(ids: string[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchResult>;
  /**
   * Builds a new versioned index from `batches`, points the alias at it and removes the old
   * versions; searches keep answering from the old index until the swap.
   */
  reindex(batches: AsyncIterable<SearchDocument[]>): Promise<{ index: string; documents: number }>;
  /** Makes every write so far visible to search (tests; the engines refresh on their own). */
  refresh(): Promise<void>;
  /** Removes the alias and every version of this namespace's index (test teardown). */
  drop(): Promise<void>;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}
