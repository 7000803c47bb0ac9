import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchService } from '../src/search.service.ts';
import {
  ADMIN,
  insertProducts,
  silentLogger,
  startCatalogHarness,
  type CatalogHarness,
} from './helpers.ts';

let harness: CatalogHarness;

beforeAll(async () => {
  harness = await startCatalogHarness();
});
afterAll(async () => {
  await harness?.close();
});

type UserErrors = Array<{ field: string[]; code: string }>;
interface CategoryView {
  slug: string;
  parent: { slug: string } | null;
  children: Array<{ slug: string }>;
  breadcrumbs: Array<{ slug: string }>;
}

const CREATE = `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { slug parent { slug } } userErrors { field code } } }`;
const MOVE = `mutation($slug: String!, $parentSlug: String) { setCategoryParent(slug: $slug, parentSlug: $parentSlug) { category { slug parent { slug } } userErrors { field code } } }`;
const CATEGORY = `query($slug: String!) { category(slug: $slug) { slug parent { slug } children { slug } breadcrumbs { slug } } }`;

async function create(slug: string, parentSlug?: string) {
  const result = await harness.graphql<{
    createCategory: { category: { slug: string } | null; userErrors: UserErrors };
  }>(CREATE, { input: { slug, name: slug, parentSlug } }, ADMIN);
  return result.data!.createCategory;
}

const move = async (slug: string, parentSlug: string | null) =>
  (
    await harness.graphql<{
      setCategoryParent: { category: { slug: string } | null; userErrors: UserErrors };
    }>(MOVE, { slug, parentSlug }, ADMIN)
  ).data!.setCategoryParent;

const category = async (slug: string) =>
  (await harness.graphql<{ category: CategoryView | null }>(CATEGORY, { slug })).data!.category;

describe('the category tree', () => {
  it('places categories under parents and shows parent, children and breadcrumbs (root first)', async () => {
    expect((await create('apparel')).userErrors).toEqual([]);
    expect((await create('shirts', 'apparel')).userErrors).toEqual([]);
    expect((await create('t-shirts', 'shirts')).userErrors).toEqual([]);
    expect((await create('hats', 'apparel')).userErrors).toEqual([]);
    expect(await create('socks', 'nowhere')).toEqual({
      category: null,
      userErrors: [{ field: ['input', 'parentSlug'], code: 'CATEGORY_NOT_FOUND' }],
    });

    expect(await category('t-shirts')).toEqual({
      slug: 't-shirts',
      parent: { slug: 'shirts' },
      children: [],
      breadcrumbs: [{ slug: 'apparel' }, { slug: 'shirts' }],
    });
    expect(await category('apparel')).toEqual({
      slug: 'apparel',
      parent: null,
      children: [{ slug: 'hats' }, { slug: 'shirts' }],
      breadcrumbs: [],
    });
    const roots = await harness.graphql<{ categories: Array<{ slug: string }> }>(
      '{ categories(rootsOnly: true) { slug } }',
    );
    expect(roots.data?.categories.map((root) => root.slug)).toContain('apparel');
    expect(roots.data?.categories.map((root) => root.slug)).not.toContain('shirts');
  });

  it('refuses a move under the category itself or below it (CATEGORY_CYCLE), changing nothing', async () => {
    await create('garden');
    await create('tools', 'garden');
    await create('spades', 'tools');
    for (const parent of ['garden', 'tools', 'spades']) {
      const refused = await move('garden', parent);
      expect(refused).toEqual({
        category: null,
        userErrors: [{ field: ['parentSlug'], code: 'CATEGORY_CYCLE' }],
      });
    }
    expect((await category('garden'))?.parent).toBeNull();
    expect((await move('spades', null)).category).toEqual({ slug: 'spades', parent: null });
    expect((await move('tools', 'spades')).userErrors).toEqual([]);
    expect((await category('tools'))?.breadcrumbs).toEqual([{ slug: 'spades' }]);
  });

  it('never closes a cycle when two moves race: one of "a under b" and "b under a" is refused', async () => {
    await create('race-a');
    await create('race-b');
    const [first, second] = await Promise.all([move('race-a', 'race-b'), move('race-b', 'race-a')]);
    const codes = [...first.userErrors, ...second.userErrors].map((error) => error.code);
    expect(codes).toEqual(['CATEGORY_CYCLE']);
    const parents = [(await category('race-a'))?.parent, (await category('race-b'))?.parent];
    expect(parents.filter((parent) => parent !== null)).toHaveLength(1);
  });

  it('lists and searches a category with the products of its descendants', async () => {
    await create('kitchen');
    await create('cookware', 'kitchen');
    await create('pans', 'cookware');
    await insertProducts(harness.db, [
      { sku: 'TREE-PAN', name: 'Iron skillet', categorySlug: 'pans' },
      { sku: 'TREE-POT', name: 'Iron pot', categorySlug: 'cookware' },
      { sku: 'TREE-KNIFE', name: 'Iron knife', categorySlug: 'kitchen' },
    ]);
    await new SearchService(harness.searchIndex, silentLogger).reindex(harness.db);
    const listed = async (slug: string) =>
      (
        await harness.graphql<{ products: { edges: Array<{ node: { sku: string } }> } }>(
          'query($slug: String) { products(filter: { categorySlug: $slug }) { edges { node { sku } } } }',
          { slug },
        )
      )
        .data!.products.edges.map((edge) => edge.node.sku)
        .sort();
    expect(await listed('kitchen')).toEqual(['TREE-KNIFE', 'TREE-PAN', 'TREE-POT']);
    expect(await listed('cookware')).toEqual(['TREE-PAN', 'TREE-POT']);
    expect(await listed('pans')).toEqual(['TREE-PAN']);

    const searched = async (slug: string) =>
      (
        await harness.graphql<{ searchProducts: { edges: Array<{ node: { sku: string } }> } }>(
          'query($slug: String) { searchProducts(query: "iron", filter: { categorySlug: $slug }) { edges { node { sku } } } }',
          { slug },
        )
      )
        .data!.searchProducts.edges.map((edge) => edge.node.sku)
        .sort();
    expect(await searched('cookware')).toEqual(['TREE-PAN', 'TREE-POT']);
    expect(await searched('kitchen')).toEqual(['TREE-KNIFE', 'TREE-PAN', 'TREE-POT']);
    expect(await searched('no-such-category')).toEqual([]);
  });
});
