import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchService } from '../src/search.service.ts';
import {
  insertProducts,
  silentLogger,
  startCatalogHarness,
  type CatalogHarness,
} from './helpers.ts';

let harness: CatalogHarness;

/** Products created one after another, in another order than their names and prices sort in. */
const PRODUCTS = [
  { sku: 'SORT-1', name: 'Cedar Lamp', priceAmount: 3000 },
  { sku: 'SORT-2', name: 'alder lamp', priceAmount: 5000 },
  { sku: 'SORT-3', name: 'Birch Lamp', priceAmount: 1000 },
  { sku: 'SORT-4', name: 'Elm Lamp', priceAmount: 3000 },
  { sku: 'SORT-5', name: 'Dogwood Lamp', priceAmount: 4000 },
];

beforeAll(async () => {
  harness = await startCatalogHarness();
  for (const product of PRODUCTS) await insertProducts(harness.db, [product]);
  await new SearchService(harness.searchIndex, silentLogger).reindex(harness.db);
});
afterAll(async () => {
  await harness?.close();
});

type Page = {
  edges: Array<{ cursor: string; node: { sku: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

/** Every sku of a listing or search, read two at a time. */
async function readAll(
  field: 'products' | 'searchProducts',
  sortKey: string,
  reverse: boolean,
): Promise<string[]> {
  const args =
    field === 'products'
      ? '(first: 2, after: $after, sortKey: $sortKey, reverse: $reverse)'
      : '(query: "lamp", first: 2, after: $after, sortKey: $sortKey, reverse: $reverse)';
  const skus: string[] = [];
  let after: string | null = null;
  for (;;) {
    const result: { data?: Record<string, Page>; errors?: unknown[] } = await harness.graphql(
      `query($after: String, $sortKey: ProductSortKeys, $reverse: Boolean) { ${field}${args} {
        edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }`,
      { after, sortKey, reverse },
    );
    expect(result.errors).toBeUndefined();
    const page = result.data![field]!;
    skus.push(...page.edges.map((edge) => edge.node.sku));
    if (!page.pageInfo.hasNextPage) return skus;
    after = page.pageInfo.endCursor;
  }
}

describe('sorting', () => {
  it('lists by creation (the default), price and name, either way, paging in that order', async () => {
    expect(await readAll('products', 'CREATED_AT', false)).toEqual(
      PRODUCTS.map((product) => product.sku),
    );
    expect(await readAll('products', 'CREATED_AT', true)).toEqual(
      PRODUCTS.map((product) => product.sku).reverse(),
    );
    // Equal prices (SORT-1 and SORT-4) keep a stable order by id: compare as a set at that rank.
    const cheapest = await readAll('products', 'PRICE', false);
    expect(cheapest[0]).toBe('SORT-3');
    expect(cheapest.slice(1, 3).sort()).toEqual(['SORT-1', 'SORT-4']);
    expect(cheapest.slice(3)).toEqual(['SORT-5', 'SORT-2']);
    expect(await readAll('products', 'PRICE', true)).toEqual([...cheapest].reverse());
    // By name in the database's collation (which decides where "alder" goes against "Birch").
    const names = await readAll('products', 'NAME', false);
    expect(names.filter((sku) => sku !== 'SORT-2')).toEqual([
      'SORT-3',
      'SORT-1',
      'SORT-5',
      'SORT-4',
    ]);
    expect(await readAll('products', 'NAME', true)).toEqual([...names].reverse());
  });

  it('searches by relevance (default), price, name or newest, paging in that order', async () => {
    const relevance = await readAll('searchProducts', 'RELEVANCE', false);
    expect(relevance.sort()).toEqual(PRODUCTS.map((product) => product.sku).sort());
    const cheapest = await readAll('searchProducts', 'PRICE', false);
    expect(cheapest[0]).toBe('SORT-3');
    expect(cheapest.at(-1)).toBe('SORT-2');
    expect(await readAll('searchProducts', 'NAME', false)).toEqual([
      'SORT-2', // alder (case-insensitive)
      'SORT-3',
      'SORT-1',
      'SORT-5',
      'SORT-4',
    ]);
    expect(await readAll('searchProducts', 'CREATED_AT', true)).toEqual(
      PRODUCTS.map((product) => product.sku).reverse(),
    );
  });

  it('refuses a cursor of another order, RELEVANCE for listings and a reversed RELEVANCE (BAD_USER_INPUT)', async () => {
    const priced = await harness.graphql<{ products: Page }>(
      '{ products(first: 1, sortKey: PRICE) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }',
    );
    const cursor = priced.data!.products.pageInfo.endCursor;
    for (const query of [
      `{ products(first: 1, sortKey: NAME, after: "${cursor}") { edges { node { sku } } } }`,
      `{ products(first: 1, sortKey: PRICE, reverse: true, after: "${cursor}") { edges { node { sku } } } }`,
      '{ products(first: 1, sortKey: RELEVANCE) { edges { node { sku } } } }',
      '{ searchProducts(query: "lamp", reverse: true) { totalCount } }',
      '{ products(first: 1, filter: { options: [{ name: "Colour", value: "Red" }] }) { totalCount } }',
    ]) {
      const result = await harness.graphql(query);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
