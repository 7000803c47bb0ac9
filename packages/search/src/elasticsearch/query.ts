import type { estypes } from '@elastic/elasticsearch';
import {
  CATEGORY_FACET_SIZE,
  OPTION_FACET_SIZE,
  PRICE_BANDS,
  decodeCursor,
  documentOptions,
  optionGroups,
  queryTerms,
  sortOf,
} from '../shared.ts';
import type { SearchDocument, SearchFilter, SearchRequest, SearchSortKey } from '../types.ts';

/**
 * The one place that builds request bodies for Elasticsearch and OpenSearch: both accept these
 * (plain mappings, bool/multi_match queries, terms/range aggregations, search_after), so the two
 * flavours differ only in transport, never in what they index or how they rank.
 */

export const indexSettings: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  number_of_replicas: 0,
  analysis: {
    filter: {
      prefix_edge_ngram: { type: 'edge_ngram', min_gram: 2, max_gram: 20 },
    },
    analyzer: {
      /** Index-time: every word's prefixes, so "head" finds "headphones" while typing. */
      prefix_index: {
        type: 'custom',
        tokenizer: 'standard',
        filter: ['lowercase', 'prefix_edge_ngram'],
      },
      prefix_search: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
    },
    normalizer: {
      lowercase_keyword: { type: 'custom', filter: ['lowercase'] },
    },
  },
};

export const indexMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    sku: { type: 'keyword' },
    name: {
      type: 'text',
      analyzer: 'english',
      fields: {
        prefix: { type: 'text', analyzer: 'prefix_index', search_analyzer: 'prefix_search' },
        exact: { type: 'keyword', normalizer: 'lowercase_keyword', ignore_above: 256 },
      },
    },
    description: { type: 'text', analyzer: 'english' },
    categorySlug: { type: 'keyword' },
    priceAmount: { type: 'integer' },
    currency: { type: 'keyword' },
    stock: { type: 'integer' },
    createdAt: { type: 'date' },
    /** Every variant's option tokens in one list: the option facets, and a cheap pre-filter. */
    options: { type: 'keyword' },
    /**
     * Each variant's own tokens, so a filter on several options needs one variant having them
     * all. A field of its own (added after `options`): an existing field cannot become nested in
     * place, a new one can be added to an old index by `ensureIndex`.
     */
    variants: { type: 'nested', properties: { options: { type: 'keyword' } } },
  },
};

/** A document as the engine stores it (dates as ISO strings). */
export function toSource(document: SearchDocument): Record<string, unknown> {
  return {
    id: document.id,
    sku: document.sku,
    name: document.name,
    description: document.description,
    categorySlug: document.categorySlug,
    priceAmount: document.priceAmount,
    currency: document.currency,
    stock: document.stock,
    createdAt: document.createdAt.toISOString(),
    options: documentOptions(document),
    variants: document.variants.map((variant) => ({ options: variant.options })),
  };
}

/** The field each sort orders by (names by their lowercased keyword, as PostgreSQL by lower(name)). */
const SORT_FIELD: Record<Exclude<SearchSortKey, 'relevance'>, string> = {
  price: 'priceAmount',
  name: 'name.exact',
  createdAt: 'createdAt',
};

function filterClauses(filter: SearchFilter | null | undefined): estypes.QueryDslQueryContainer[] {
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (!filter) return clauses;
  if (filter.categorySlugs) clauses.push({ terms: { categorySlug: [...filter.categorySlugs] } });
  const price: Record<string, number> = {};
  if (filter.minPrice !== null && filter.minPrice !== undefined) price.gte = filter.minPrice;
  if (filter.maxPrice !== null && filter.maxPrice !== undefined) price.lte = filter.maxPrice;
  if (Object.keys(price).length > 0) clauses.push({ range: { priceAmount: price } });
  if (filter.inStockOnly) clauses.push({ range: { stock: { gt: 0 } } });
  const groups = optionGroups(filter.options);
  for (const tokens of groups) clauses.push({ terms: { options: tokens } });
  if (groups.length > 0) clauses.push(oneVariantHaving(groups));
  return clauses;
}

/**
 * One variant has a value of every option group. A document written before the index gained
 * `variants` (an index upgraded in place and not reindexed since) has no variants: the product-wide
 * `options` clauses alone decide for it until it is written again.
 */
function oneVariantHaving(groups: string[][]): estypes.QueryDslQueryContainer {
  return {
    bool: {
      should: [
        {
          nested: {
            path: 'variants',
            query: {
              bool: { filter: groups.map((tokens) => ({ terms: { 'variants.options': tokens } })) },
            },
          },
        },
        { bool: { must_not: [{ nested: { path: 'variants', query: { match_all: {} } } }] } },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * Relevance: an exact (case-insensitive) name match first, then the whole phrase in the name,
 * then words in name (x3) or description with typo tolerance, then prefixes of name words.
 */
export function searchBody(request: SearchRequest): estypes.SearchRequest {
  const text = queryTerms(request.query).join(' ');
  const sort = sortOf(request);
  const body: estypes.SearchRequest = {
    size: request.first + 1,
    track_total_hits: true,
    _source: false,
    query: {
      bool: {
        filter: filterClauses(request.filter),
        should: [
          { term: { 'name.exact': { value: request.query.trim().toLowerCase(), boost: 20 } } },
          { match_phrase: { name: { query: text, boost: 5 } } },
          {
            multi_match: {
              query: text,
              fields: ['name^3', 'description'],
              type: 'best_fields',
              fuzziness: 'AUTO',
              prefix_length: 1,
            },
          },
          { match: { 'name.prefix': { query: text, operator: 'and', boost: 2 } } },
        ],
        minimum_should_match: 1,
      },
    },
    sort:
      sort.key === 'relevance'
        ? [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]
        : [
            { [SORT_FIELD[sort.key]]: { order: sort.descending ? 'desc' : 'asc' } },
            { id: { order: 'asc' } },
          ],
    ...(request.facets ? { aggs: facetAggregations } : {}),
  };
  if (request.after) {
    const position = decodeCursor(sort, request.after);
    body.search_after = [position.value, position.id];
  }
  return body;
}

/** Counts by category, price band and option value: computed only when facets are asked for. */
const facetAggregations: Record<string, estypes.AggregationsAggregationContainer> = {
  category: { terms: { field: 'categorySlug', size: CATEGORY_FACET_SIZE } },
  price: {
    range: {
      field: 'priceAmount',
      keyed: false,
      ranges: PRICE_BANDS.map((band) => ({
        key: band.key,
        ...(band.from !== undefined ? { from: band.from } : {}),
        ...(band.to !== undefined ? { to: band.to } : {}),
      })),
    },
  },
  options: { terms: { field: 'options', size: OPTION_FACET_SIZE } },
};

/** Bulk operations (ndjson pairs) that upsert whole documents by id. */
export function bulkUpsertOperations(documents: SearchDocument[]): object[] {
  return documents.flatMap((document) => [{ index: { _id: document.id } }, toSource(document)]);
}

export function bulkDeleteOperations(ids: string[]): object[] {
  return ids.map((id) => ({ delete: { _id: id } }));
}
