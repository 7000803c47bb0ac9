import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadVersions } from '@microshop/runtime';
import { keptProductRows } from '../src/product-rows.ts';
import type { ProductPageRow, ProductPageRows } from '../src/product.repository.ts';
import {
  ADMIN,
  insertProducts,
  rowStatements,
  startCatalogHarness,
  type CatalogHarness,
} from './helpers.ts';

/**
 * Product rows kept under the catalog's read version: a repeated page costs no product
 * statement, and any write to the catalog's tables, by any path, is in the very next read.
 */

let harness: CatalogHarness;
beforeAll(async () => {
  harness = await startCatalogHarness();
});
afterAll(async () => {
  await harness?.close();
});

const PAGE = `query($id: ID!) { product(id: $id) {
  name price { amount } stock category { slug } images { url } variants { sku stock } } }`;

interface Page {
  name: string;
  price: { amount: number };
  stock: number;
  category: { slug: string } | null;
  images: Array<{ url: string }>;
  variants: Array<{ sku: string; stock: number }>;
}

async function page(id: string): Promise<{ product: Page; rowStatements: number }> {
  harness.statements.length = 0;
  const result = await harness.graphql<{ product: Page }>(PAGE, { id });
  expect(result.errors).toBeUndefined();
  return { product: result.data!.product, rowStatements: rowStatements(harness.statements).length };
}

describe('kept product rows, on PostgreSQL', () => {
  it('answers a repeated product page from memory, and shows every kind of write in the next read', async () => {
    const [id] = await insertProducts(harness.db, [{ sku: 'KEPT-1', categorySlug: 'kept' }]);
    const first = await page(id!);
    expect(first.rowStatements).toBe(1);
    const again = await page(id!);
    expect(again).toEqual({ product: first.product, rowStatements: 0 });

    // An operator's SQL, outside every service: the price.
    await harness.db.$executeRaw`UPDATE products SET price_amount = 4321 WHERE id = ${id}::uuid`;
    const repriced = await page(id!);
    expect(repriced.product.price.amount).toBe(4321);
    expect(repriced.rowStatements).toBe(1);

    // Stock of its variant (what an order's reservation changes).
    await harness.db
      .$executeRaw`UPDATE product_variants SET on_hand = on_hand + 5 WHERE product_id = ${id}::uuid`;
    const restocked = await page(id!);
    expect(restocked.product.stock).toBe(first.product.stock + 5);

    // An image, through the API.
    const added = await harness.graphql<{ addProductImage: { userErrors: unknown[] } }>(
      `mutation($id: ID!) { addProductImage(productId: $id, input: { url: "https://img.example/k.jpg", altText: "k" }) { userErrors { code } } }`,
      { id },
      ADMIN,
    );
    expect(added.errors).toBeUndefined();
    expect((await page(id!)).product.images.map((image) => image.url)).toEqual([
      'https://img.example/k.jpg',
    ]);

    // Its category renamed: a write to another table the page shows.
    await harness.db.$executeRaw`UPDATE categories SET slug = 'kept-renamed' WHERE slug = 'kept'`;
    expect((await page(id!)).product.category).toEqual({ slug: 'kept-renamed' });
  });

  it('does not keep a write that is not committed yet, and shows it once it is', async () => {
    const [id] = await insertProducts(harness.db, [{ sku: 'KEPT-2', categorySlug: 'kept' }]);
    const before = (await page(id!)).product.name;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = harness.db.$transaction(async (tx) => {
      await tx.$executeRaw`UPDATE products SET name = 'Renamed' WHERE id = ${id}::uuid`;
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await page(id!)).product.name).toBe(before);
    release();
    await writing;
    expect((await page(id!)).product.name).toBe('Renamed');
  });
});

describe('keptProductRows', () => {
  const row = (id: string, name: string) => ({ id, name }) as unknown as ProductPageRow;
  function source(names: Map<string, string>) {
    const reads: string[][] = [];
    const rows: ProductPageRows = {
      async findByIdsWithCategories(ids) {
        reads.push([...ids]);
        return ids.flatMap((id) => (names.has(id) ? [row(id, names.get(id)!)] : []));
      },
    };
    return { rows, reads };
  }
  const versionsOf = (current: () => string | undefined): ReadVersions => ({
    current: async () => current(),
  });

  it('reads only the ids not kept under the current version, once each', async () => {
    const names = new Map([
      ['a', 'A'],
      ['b', 'B'],
    ]);
    const { rows, reads } = source(names);
    let version = '1';
    const kept = keptProductRows(
      rows,
      versionsOf(() => version),
      10,
    );
    expect(await kept.findByIdsWithCategories(['a', 'a'])).toEqual([row('a', 'A')]);
    expect(await kept.findByIdsWithCategories(['a', 'b', 'unknown'])).toHaveLength(2);
    expect(reads).toEqual([['a'], ['b', 'unknown']]);

    names.set('a', 'A2');
    version = '2';
    expect(await kept.findByIdsWithCategories(['a'])).toEqual([row('a', 'A2')]);
    expect(reads).toHaveLength(3);
  });

  it('reads through, keeping nothing, while the version is unknown', async () => {
    const { rows, reads } = source(new Map([['a', 'A']]));
    let version: string | undefined = undefined;
    const kept = keptProductRows(
      rows,
      versionsOf(() => version),
      10,
    );
    await kept.findByIdsWithCategories(['a']);
    await kept.findByIdsWithCategories(['a']);
    expect(reads).toHaveLength(2);
    version = '1';
    await kept.findByIdsWithCategories(['a']);
    await kept.findByIdsWithCategories(['a']);
    expect(reads).toHaveLength(3);
  });

  it('keeps at most maxEntries rows, forgetting the least recently used', async () => {
    const names = new Map([
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C'],
    ]);
    const { rows, reads } = source(names);
    const kept = keptProductRows(
      rows,
      versionsOf(() => '1'),
      2,
    );
    for (const id of ['a', 'b', 'a', 'c', 'a', 'b']) await kept.findByIdsWithCategories([id]);
    expect(reads).toEqual([['a'], ['b'], ['c'], ['b']]);
  });
});
