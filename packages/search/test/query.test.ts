import { describe, expect, it } from 'vitest';
import { searchBody } from '../src/elasticsearch/query.ts';
import { decodeCursor, encodeCursor, queryTerms } from '../src/shared.ts';
import { InvalidCursorError, type SearchSort } from '../src/types.ts';

const RELEVANCE: SearchSort = { key: 'relevance', descending: false };
const PRICE_DOWN: SearchSort = { key: 'price', descending: true };

describe('search request building', () => {
  it('round-trips cursors exactly and refuses foreign ones, also those of another order', () => {
    const position = { value: 1.2345678901234567, id: '00000000-0000-4000-8000-000000000001' };
    expect(decodeCursor(RELEVANCE, encodeCursor(RELEVANCE, position))).toEqual(position);
    const priced = { value: 2500, id: position.id };
    expect(decodeCursor(PRICE_DOWN, encodeCursor(PRICE_DOWN, priced))).toEqual(priced);
    expect(() => decodeCursor(RELEVANCE, encodeCursor(PRICE_DOWN, priced))).toThrow(
      InvalidCursorError,
    );
    expect(() =>
      decodeCursor({ key: 'price', descending: false }, encodeCursor(PRICE_DOWN, priced)),
    ).toThrow(InvalidCursorError);
    expect(() => decodeCursor(RELEVANCE, 'bm9wZQ')).toThrow(InvalidCursorError);
    expect(() => decodeCursor(RELEVANCE, Buffer.from('[1]').toString('base64url'))).toThrow(
      InvalidCursorError,
    );
  });

  it('keeps only words of a query', () => {
    expect(queryTerms('  Wireless, HEAD-phones!! ')).toEqual(['wireless', 'head', 'phones']);
    expect(queryTerms('***')).toEqual([]);
  });

  it('filters and continues after the cursor, with id as the tiebreak; no aggregations unless facets are asked for', () => {
    const after = encodeCursor(RELEVANCE, { value: 3.5, id: 'abc' });
    const body = searchBody({
      query: 'Lamp',
      first: 10,
      after,
      filter: {
        categorySlugs: ['home'],
        minPrice: 100,
        maxPrice: 900,
        inStockOnly: true,
        options: [
          { name: 'Colour', value: 'Red' },
          { name: 'colour', value: 'Blue' },
          { name: 'Size', value: 'M' },
        ],
      },
    });
    expect(body.size).toBe(11);
    expect(body.search_after).toEqual([3.5, 'abc']);
    expect(body.sort).toEqual([{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
    expect(body.query?.bool?.filter).toEqual([
      { terms: { categorySlug: ['home'] } },
      { range: { priceAmount: { gte: 100, lte: 900 } } },
      { range: { stock: { gt: 0 } } },
      { terms: { options: ['colour=red', 'colour=blue'] } },
      { terms: { options: ['size=m'] } },
      {
        bool: {
          should: [
            {
              nested: {
                path: 'variants',
                query: {
                  bool: {
                    filter: [
                      { terms: { 'variants.options': ['colour=red', 'colour=blue'] } },
                      { terms: { 'variants.options': ['size=m'] } },
                    ],
                  },
                },
              },
            },
            { bool: { must_not: [{ nested: { path: 'variants', query: { match_all: {} } } }] } },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
    expect(body.aggs).toBeUndefined();
    const withFacets = searchBody({ query: 'Lamp', first: 10, facets: true });
    expect(Object.keys(withFacets.aggs ?? {})).toEqual(['category', 'price', 'options']);
  });

  it('sorts by a field either way, the id breaking ties', () => {
    const body = searchBody({
      query: 'Lamp',
      first: 10,
      sort: PRICE_DOWN,
      after: encodeCursor(PRICE_DOWN, { value: 2500, id: 'abc' }),
    });
    expect(body.sort).toEqual([{ priceAmount: { order: 'desc' } }, { id: { order: 'asc' } }]);
    expect(body.search_after).toEqual([2500, 'abc']);
    expect(
      searchBody({ query: 'x', first: 1, sort: { key: 'name', descending: false } }).sort,
    ).toEqual([{ 'name.exact': { order: 'asc' } }, { id: { order: 'asc' } }]);
  });
});
