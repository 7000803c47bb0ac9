import { describe, expect, it } from 'vitest';
import { searchBody } from '../src/elasticsearch/query.ts';
import { decodeCursor, encodeCursor, queryTerms } from '../src/shared.ts';
import { InvalidCursorError } from '../src/types.ts';

describe('search request building', () => {
  it('round-trips cursors exactly and refuses foreign ones', () => {
    const position = { score: 1.2345678901234567, id: '00000000-0000-4000-8000-000000000001' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(() => decodeCursor('bm9wZQ')).toThrow(InvalidCursorError);
    expect(() => decodeCursor(Buffer.from('[1]').toString('base64url'))).toThrow(
      InvalidCursorError,
    );
  });

  it('keeps only words of a query', () => {
    expect(queryTerms('  Wireless, HEAD-phones!! ')).toEqual(['wireless', 'head', 'phones']);
    expect(queryTerms('***')).toEqual([]);
  });

  it('filters, facets and continues after the cursor, with id as the tiebreak', () => {
    const after = encodeCursor({ score: 3.5, id: 'abc' });
    const body = searchBody({
      query: 'Lamp',
      first: 10,
      after,
      filter: { categorySlugs: ['home'], minPrice: 100, maxPrice: 900, inStockOnly: true },
    });
    expect(body.size).toBe(11);
    expect(body.search_after).toEqual([3.5, 'abc']);
    expect(body.sort).toEqual([{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
    expect(body.query?.bool?.filter).toEqual([
      { terms: { categorySlug: ['home'] } },
      { range: { priceAmount: { gte: 100, lte: 900 } } },
      { range: { stock: { gt: 0 } } },
    ]);
    expect(Object.keys(body.aggs ?? {})).toEqual(['category', 'price']);
  });
});
