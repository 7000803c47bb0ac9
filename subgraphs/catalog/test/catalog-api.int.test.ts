import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  CUSTOMER,
  insertProducts,
  rowStatements,
  startCatalogHarness,
  type CatalogHarness,
} from './helpers.ts';

let harness: CatalogHarness;

beforeAll(async () => {
  harness = await startCatalogHarness();
  await harness.db.category.create({ data: { slug: 'audio', name: 'Audio' } });
});
afterAll(async () => {
  await harness?.close();
});

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateProductInput!) {
    createProduct(input: $input) {
      product {
        id
        sku
        name
        price {
          amount
          currency
        }
        category {
          slug
        }
        stock
        inStock
        active
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const validInput = (sku: string) => ({
  sku,
  name: 'Studio Headphones',
  description: 'Closed-back headphones.',
  priceAmount: 14900,
  currency: 'EUR',
  categorySlug: 'audio',
  initialStock: 7,
});

type Payload = {
  product: Record<string, unknown> | null;
  userErrors: Array<{ code: string; field: string[] }>;
};

describe('admin mutations', () => {
  it('creates a product and announces it in the same transaction', async () => {
    const result = await harness.graphql<{ createProduct: Payload }>(
      CREATE,
      { input: validInput('HP-1') },
      ADMIN,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createProduct.userErrors).toEqual([]);
    expect(result.data?.createProduct.product).toMatchObject({
      sku: 'HP-1',
      price: { amount: 14900, currency: 'EUR' },
      category: { slug: 'audio' },
      stock: 7,
      inStock: true,
      active: true,
    });
    const id = result.data!.createProduct.product!.id as string;
    const events = await harness.db.outboxEvent.findMany({ where: { aggregateId: id } });
    expect(events.map((event) => event.type)).toEqual(['ProductChanged']);
  });

  it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
    const before = await harness.db.product.count();
    const asCustomer = await harness.graphql(
      CREATE,
      { input: validInput('HP-CUSTOMER') },
      CUSTOMER,
    );
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await harness.graphql(CREATE, { input: validInput('HP-ANON') });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const adjust = await harness.graphql(
      'mutation { adjustStock(productId: "00000000-0000-4000-8000-000000000000", delta: 1) { product { id } } }',
      {},
      CUSTOMER,
    );
    expect(adjust.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await harness.db.product.count()).toBe(before);
  });

  it('returns every validation failure as userErrors and writes nothing', async () => {
    const before = {
      products: await harness.db.product.count(),
      events: await harness.db.outboxEvent.count(),
    };
    const result = await harness.graphql<{ createProduct: Payload }>(
      CREATE,
      {
        input: {
          ...validInput('bad sku!'),
          name: '   ',
          description: 'x'.repeat(10_001),
          priceAmount: -1,
          currency: 'euro',
          categorySlug: 'no-such-category',
          initialStock: -3,
        },
      },
      ADMIN,
    );
    expect(result.data?.createProduct.product).toBeNull();
    expect(result.data?.createProduct.userErrors.map((error) => error.code).sort()).toEqual([
      'CATEGORY_NOT_FOUND',
      'INVALID_CURRENCY',
      'INVALID_DESCRIPTION',
      'INVALID_NAME',
      'INVALID_PRICE',
      'INVALID_SKU',
      'INVALID_STOCK',
    ]);
    const duplicate = await harness.graphql<{ createProduct: Payload }>(
      CREATE,
      { input: validInput('HP-1') },
      ADMIN,
    );
    expect(duplicate.data?.createProduct.userErrors).toEqual([
      expect.objectContaining({ code: 'SKU_TAKEN', field: ['input', 'sku'] }),
    ]);
    expect(await harness.db.product.count()).toBe(before.products);
    expect(await harness.db.outboxEvent.count()).toBe(before.events);
  });

  it('updates a product, and refuses an unknown category without changing anything', async () => {
    const [id] = await insertProducts(harness.db, [{ sku: 'UPD-1', priceAmount: 500 }]);
    const UPDATE = `mutation($id: ID!, $input: UpdateProductInput!) {
      updateProduct(id: $id, input: $input) { product { name price { amount } category { slug } active } userErrors { code } } }`;
    const refused = await harness.graphql<{ updateProduct: Payload }>(
      UPDATE,
      { id, input: { name: 'Renamed', categorySlug: 'nope' } },
      ADMIN,
    );
    expect(refused.data?.updateProduct.userErrors.map((error) => error.code)).toEqual([
      'CATEGORY_NOT_FOUND',
    ]);
    expect((await harness.db.product.findUniqueOrThrow({ where: { id: id! } })).name).toBe(
      'Product UPD-1',
    );

    const updated = await harness.graphql<{ updateProduct: Payload }>(
      UPDATE,
      { id, input: { name: 'Renamed', priceAmount: 750, categorySlug: 'audio', active: false } },
      ADMIN,
    );
    expect(updated.data?.updateProduct).toEqual({
      product: {
        name: 'Renamed',
        price: { amount: 750 },
        category: { slug: 'audio' },
        active: false,
      },
      userErrors: [],
    });
    const missing = await harness.graphql<{ updateProduct: Payload }>(
      UPDATE,
      { id: 'not-a-uuid', input: { name: 'X' } },
      ADMIN,
    );
    expect(missing.data?.updateProduct.userErrors.map((error) => error.code)).toEqual([
      'PRODUCT_NOT_FOUND',
    ]);
  });

  it('adjusts stock but never below the reserved units', async () => {
    const [id] = await insertProducts(harness.db, [{ sku: 'ADJ-1', onHand: 5 }]);
    await harness.db.productVariant.update({ where: { id: id! }, data: { reserved: 3 } });
    const ADJUST = `mutation($id: ID!, $delta: Int!) { adjustStock(productId: $id, delta: $delta) { product { stock } userErrors { code } } }`;
    const added = await harness.graphql<{ adjustStock: Payload }>(ADJUST, { id, delta: 4 }, ADMIN);
    expect(added.data?.adjustStock).toEqual({ product: { stock: 6 }, userErrors: [] });
    const tooMany = await harness.graphql<{ adjustStock: Payload }>(
      ADJUST,
      { id, delta: -7 },
      ADMIN,
    );
    expect(tooMany.data?.adjustStock.userErrors.map((error) => error.code)).toEqual([
      'INSUFFICIENT_STOCK',
    ]);
    expect(await harness.db.productVariant.findUniqueOrThrow({ where: { id: id! } })).toMatchObject(
      {
        onHand: 9,
        reserved: 3,
      },
    );
  });
});

describe('reads', () => {
  it('pages through products in a stable order, visiting each once, with totalCount', async () => {
    await insertProducts(
      harness.db,
      Array.from({ length: 7 }, (_, n) => ({
        sku: `PAGE-${n}`,
        categorySlug: 'paging',
        priceAmount: 100 * (n + 1),
      })),
    );
    const PAGE = `query($after: String) { products(first: 3, after: $after, filter: { categorySlug: "paging" }) {
      totalCount edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      products: {
        totalCount: number;
        edges: Array<{ node: { sku: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const skus: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: { data?: Page } = await harness.graphql<Page>(PAGE, { after });
      const page: Page['products'] = result.data!.products;
      expect(page.totalCount).toBe(7);
      skus.push(...page.edges.map((edge) => edge.node.sku));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(skus.sort()).toEqual(Array.from({ length: 7 }, (_, n) => `PAGE-${n}`).sort());
  });

  it('filters by price and stock', async () => {
    const result = await harness.graphql<{ products: { totalCount: number } }>(
      '{ products(filter: { categorySlug: "paging", minPrice: 200, maxPrice: 500 }) { totalCount } }',
    );
    expect(result.data?.products.totalCount).toBe(4);
  });

  it('rejects first > 100, a negative price filter and a forged cursor as BAD_USER_INPUT', async () => {
    for (const query of [
      '{ products(first: 101) { totalCount } }',
      '{ products(filter: { minPrice: -1 }) { totalCount } }',
      '{ products(after: "forged") { totalCount } }',
      '{ searchProducts(query: "x", first: 101) { totalCount } }',
    ]) {
      const result = await harness.graphql(query);
      expect(result.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });

  it('rejects an empty or whitespace search query as BAD_USER_INPUT', async () => {
    for (const query of ['', '   ']) {
      const result = await harness.graphql(
        'query($q: String!) { searchProducts(query: $q) { totalCount } }',
        { q: query },
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('searches with facets, returning current products from the database', async () => {
    const [id] = await insertProducts(harness.db, [
      { sku: 'SEARCH-1', name: 'Espresso Machine', categorySlug: 'audio', priceAmount: 29999 },
    ]);
    await harness.searchIndex.upsert([
      {
        id: id!,
        sku: 'SEARCH-1',
        name: 'Espresso Machine',
        description: 'Pump',
        categorySlug: 'audio',
        priceAmount: 29999,
        currency: 'EUR',
        stock: 10,
        createdAt: new Date(),
        variants: [{ options: [] }],
      },
    ]);
    const result = await harness.graphql<{
      searchProducts: {
        totalCount: number;
        edges: Array<{ node: { id: string; name: string } }>;
        facets: Array<{ name: string; values: Array<{ value: string; count: number }> }>;
      };
    }>(
      '{ searchProducts(query: "espreso") { totalCount edges { node { id name } } facets { name values { value count } } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.searchProducts.edges.map((edge) => edge.node.id)).toEqual([id]);
    expect(
      result.data?.searchProducts.facets.find((facet) => facet.name === 'category')?.values,
    ).toEqual([{ value: 'audio', count: 1 }]);
  });
});

describe('federation', () => {
  it('resolves N product references with one SQL query, whatever N', async () => {
    const ids = await insertProducts(
      harness.db,
      Array.from({ length: 100 }, (_, n) => ({
        sku: `REF-${n}`,
        categorySlug: n % 2 ? 'odd' : 'even',
      })),
    );
    const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Product { id name price { amount } stock } } }`;
    const statementsFor = async (count: number) => {
      harness.statements.length = 0;
      const representations = ids.slice(0, count).map((id) => ({ __typename: 'Product', id }));
      const result = await harness.graphql<{ _entities: Array<{ id: string }> }>(ENTITIES, {
        representations,
      });
      expect(result.data?._entities.map((entity) => entity.id)).toEqual(ids.slice(0, count));
      return harness.statements.filter((statement) => /\bproducts\b/.test(statement)).length;
    };
    expect(await statementsFor(1)).toBe(1);
    expect(await statementsFor(10)).toBe(1);
    expect(await statementsFor(100)).toBe(1);
    // With categories: they come with the products, in the same single query (the rows kept
    // above are forgotten by the write to the catalog before it).
    await harness.db.category.create({ data: { slug: 'elsewhere', name: 'Elsewhere' } });
    harness.statements.length = 0;
    const withCategories = await harness.graphql<{
      _entities: Array<{ category: { slug: string } }>;
    }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { category { slug } } } }`,
      { representations: ids.map((id) => ({ __typename: 'Product', id })) },
    );
    expect(withCategories.data?._entities.map((entity) => entity.category.slug)).toEqual(
      ids.map((_, n) => (n % 2 ? 'odd' : 'even')),
    );
    expect(rowStatements(harness.statements)).toHaveLength(1);
  });

  it('returns null for references to unknown or malformed ids', async () => {
    const result = await harness.graphql<{ _entities: unknown[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id } } }`,
      {
        r: [
          { __typename: 'Product', id: '00000000-0000-4000-8000-000000000000' },
          { __typename: 'Product', id: 'nope' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([null, null]);
  });
});
