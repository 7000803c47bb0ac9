import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import type { Db } from '@microshop/db';
import { createLogger } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  searchEngine,
  testNamespace,
  type TestDatabase,
} from '@microshop/testing';
import {
  createSearchIndex,
  type SearchDocument,
  type SearchIndex,
  type SearchRequest,
} from '../src/index.ts';
import { indexMappings, indexSettings, toSource } from '../src/elasticsearch/query.ts';

/** One contract, every implementation: the embedded default can never drift from the real engine. */

const logger = createLogger('search-test', { logLevel: 'silent' });

const categories = ['audio', 'kitchen', 'outdoor', 'books'] as const;
const LAMP_COLOURS = ['red', 'blue', 'green'] as const;
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

function corpus(): SearchDocument[] {
  const named: Array<[string, string, (typeof categories)[number], number, number]> = [
    [
      'Wireless Headphones',
      'Over-ear headphones with noise cancelling and a 30 hour battery.',
      'audio',
      12999,
      5,
    ],
    [
      'Wireless Headphones Case',
      'A hard case that protects wireless headphones on the road.',
      'audio',
      1999,
      0,
    ],
    [
      'Bluetooth Speaker',
      'Portable speaker with deep bass; pairs with headphones too.',
      'audio',
      4999,
      12,
    ],
    ['Chef Knife', 'Forged steel chef knife for precise cutting.', 'kitchen', 8999, 3],
    ['Espresso Machine', 'Fifteen bar pump espresso machine with steam wand.', 'kitchen', 29999, 1],
    ['Camping Tent', 'Two person tent, waterproof, packs small.', 'outdoor', 15999, 0],
    ['Hiking Backpack', 'Forty litre backpack with rain cover.', 'outdoor', 7999, 8],
    ['The Pragmatic Programmer', 'A book about the craft of software.', 'books', 3999, 20],
  ];
  const documents: SearchDocument[] = named.map(
    ([name, description, categorySlug, priceAmount, stock], index) => ({
      id: uuid(index + 1),
      sku: `SKU-${index + 1}`,
      name,
      description,
      categorySlug,
      priceAmount,
      currency: 'EUR',
      stock,
      createdAt: new Date(Date.UTC(2026, 0, 1 + index)),
      variants: [{ options: [] }],
    }),
  );
  // Enough similar products to need several pages.
  for (let n = 0; n < 23; n += 1) {
    documents.push({
      id: uuid(100 + n),
      sku: `LAMP-${n}`,
      name: `Desk Lamp ${n}`,
      description: `Lamp number ${n} with a warm light.`,
      categorySlug: categories[n % categories.length] ?? 'books',
      priceAmount: 1000 + n * 1200,
      currency: 'EUR',
      stock: n % 3,
      // Created in another order than their names and prices sort in.
      createdAt: new Date(Date.UTC(2026, 1, 1, 0, 0, (n * 7) % 23)),
      variants: [{ options: [`colour=${LAMP_COLOURS[n % 3]}`, `size=${n % 2 ? 'l' : 's'}`] }],
    });
  }
  return documents;
}

function shirt(n: number, name: string, variants: string[][]): SearchDocument {
  return {
    id: uuid(900 + n),
    sku: `SHIRT-${n}`,
    name,
    description: 'A shirt.',
    categorySlug: 'outdoor',
    priceAmount: 2999,
    currency: 'EUR',
    stock: 4,
    createdAt: new Date(Date.UTC(2026, 2, n)),
    variants: variants.map((options) => ({ options })),
  };
}

/** Red in S and blue in M (neither variant is red and M), and one with a red M variant. */
const SHIRTS = [
  shirt(1, 'Linen Shirt', [
    ['colour=red', 'size=s'],
    ['colour=blue', 'size=m'],
  ]),
  shirt(2, 'Oxford Shirt', [
    ['colour=red', 'size=m'],
    ['colour=white', 'size=l'],
  ]),
] as const;
const RED_M = [
  { name: 'Colour', value: 'Red' },
  { name: 'Size', value: 'M' },
] as const;

/** What a release from before per-variant options left behind. */
interface IndexFromBeforeVariants {
  namespace: string;
  db: Db;
  /** The index of `namespace`, not yet ensured. */
  index: SearchIndex;
  /** Written without their variants: only their product-wide option tokens. */
  documents: SearchDocument[];
}

async function openSearchRequest(method: string, path: string, body: string, type: string) {
  const response = await fetch(`${requireBackend('ELASTICSEARCH_URL')}${path}`, {
    method,
    headers: { 'content-type': type },
    body,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(((await response.json()) as { errors?: boolean }).errors ?? false).toBe(false);
}

const implementations: Array<{
  label: string;
  search: () => { kind: 'postgres' } | { kind: 'elasticsearch' | 'opensearch'; url: string };
  writeIndexFromBeforeVariants: (old: IndexFromBeforeVariants) => Promise<void>;
}> = [
  {
    label: 'postgres',
    search: () => ({ kind: 'postgres' }),
    // The table as it was: the same columns but variant_options.
    async writeIndexFromBeforeVariants({ namespace, db, index, documents }) {
      await index.ensureIndex();
      await index.upsert(documents);
      const [current] = await db.$queryRawUnsafe<Array<{ name: string }>>(
        'SELECT index_name AS name FROM microshop_search.aliases WHERE alias = $1',
        `${namespace}products`,
      );
      await db.$executeRawUnsafe(
        `ALTER TABLE microshop_search."${current!.name}" DROP COLUMN variant_options`,
      );
    },
  },
  {
    label: 'elasticsearch/opensearch',
    search: () => ({ kind: searchEngine(), url: requireBackend('ELASTICSEARCH_URL') }),
    // The mapping as it was (no `variants`), and documents written in it.
    async writeIndexFromBeforeVariants({ namespace, documents }) {
      const alias = `${namespace}products`;
      const { variants: _variants, ...properties } = indexMappings.properties!;
      await openSearchRequest(
        'PUT',
        `/${alias}-v0`,
        JSON.stringify({
          settings: indexSettings,
          mappings: { ...indexMappings, properties },
          aliases: { [alias]: {} },
        }),
        'application/json',
      );
      const lines = documents.flatMap((document) => {
        const { variants: _dropped, ...source } = toSource(document);
        return [JSON.stringify({ index: { _id: document.id } }), JSON.stringify(source)];
      });
      await openSearchRequest(
        'POST',
        `/${alias}/_bulk?refresh=true`,
        `${lines.join('\n')}\n`,
        'application/x-ndjson',
      );
    },
  },
];

describe.each(implementations)('SearchIndex contract: $label', (engine) => {
  const { search } = engine;
  let database: TestDatabase;
  let index: SearchIndex;
  const documents = corpus();

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = { ...loadConfig({}), namespace: testNamespace('search'), search: search() };
    index = await createSearchIndex(config, { db: database.prisma, logger });
    expect(await index.ensureIndex()).toBe(true);
    expect(await index.ensureIndex()).toBe(false);
    await index.upsert(documents);
    await index.refresh();
  });

  afterAll(async () => {
    await index?.drop();
    await index?.close();
    await database?.drop();
  });

  const ids = async (request: Partial<SearchRequest> & { query: string }) =>
    (await index.search({ first: 50, ...request })).hits.map((hit) => hit.id);

  it('creates the first index once when instances start at once, and they share it', async () => {
    const config = {
      ...loadConfig({}),
      namespace: testNamespace('search-race'),
      search: search(),
    };
    const instances = await Promise.all(
      [1, 2, 3].map(() => createSearchIndex(config, { db: database.prisma, logger })),
    );
    try {
      const created = await Promise.all(instances.map((instance) => instance.ensureIndex()));
      expect(created.filter(Boolean)).toHaveLength(1);
      await instances[0]!.upsert(documents.slice(0, 3));
      await instances[1]!.refresh();
      const found = await instances[2]!.search({ query: 'wireless headphones', first: 10 });
      expect(found.hits.map((hit) => hit.id)).toContain(uuid(1));
    } finally {
      await instances[0]!.drop();
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it('ranks an exact name match first', async () => {
    expect((await ids({ query: 'wireless headphones' }))[0]).toBe(uuid(1));
    expect((await ids({ query: 'Wireless Headphones Case' }))[0]).toBe(uuid(2));
  });

  it('weights the name over the description', async () => {
    const hits = await ids({ query: 'speaker' });
    expect(hits[0]).toBe(uuid(3));
    const headphones = await ids({ query: 'headphones' });
    // Speaker mentions headphones only in its description: after both named ones.
    expect(headphones.slice(0, 2).sort()).toEqual([uuid(1), uuid(2)]);
    expect(headphones).toContain(uuid(3));
  });

  it('finds products by the prefix of a word', async () => {
    expect(await ids({ query: 'espres' })).toContain(uuid(5));
    expect(await ids({ query: 'backp' })).toContain(uuid(7));
  });

  it('tolerates a typo', async () => {
    expect(await ids({ query: 'hedphones' })).toContain(uuid(1));
    expect(await ids({ query: 'backpak' })).toContain(uuid(7));
  });

  it('applies category, price and stock filters', async () => {
    const audio = await ids({
      query: 'headphones',
      filter: { categorySlugs: ['audio'], inStockOnly: true },
    });
    expect(audio.sort()).toEqual([uuid(1), uuid(3)]);
    const cheap = await ids({ query: 'headphones', filter: { maxPrice: 5000 } });
    expect(cheap.sort()).toEqual([uuid(2), uuid(3)]);
    const pricey = await ids({ query: 'lamp', filter: { minPrice: 20000 } });
    expect(pricey.length).toBeGreaterThan(0);
    for (const id of pricey)
      expect(documents.find((doc) => doc.id === id)!.priceAmount).toBeGreaterThanOrEqual(20000);
  });

  it('reports facet counts equal to the totals of the filtered searches', async () => {
    const result = await index.search({ query: 'lamp', first: 5, facets: true });
    expect(result.totalCount).toBe(23);
    const category = result.facets.find((facet) => facet.name === 'category')!;
    const price = result.facets.find((facet) => facet.name === 'price')!;
    expect(category.values.reduce((sum, value) => sum + value.count, 0)).toBe(23);
    expect(price.values.reduce((sum, value) => sum + value.count, 0)).toBe(23);
    for (const value of category.values) {
      const filtered = await index.search({
        query: 'lamp',
        first: 1,
        filter: { categorySlugs: [value.value] },
      });
      expect(filtered.totalCount).toBe(value.count);
    }
    const expensive = price.values.find((value) => value.value === '25000-*')!;
    const filtered = await index.search({ query: 'lamp', first: 1, filter: { minPrice: 25000 } });
    expect(filtered.totalCount).toBe(expensive.count);
    expect(expensive.count).toBeGreaterThan(0);
  });

  it('computes no facets unless asked for them', async () => {
    const result = await index.search({ query: 'lamp', first: 5 });
    expect(result.totalCount).toBe(23);
    expect(result.facets).toEqual([]);
  });

  it('filters by option values (any value of one option, every option) and counts them as facets', async () => {
    const lamps = documents.filter((document) => document.sku.startsWith('LAMP-'));
    const having = (...tokens: string[]) =>
      lamps.filter((lamp) => tokens.every((token) => lamp.variants[0]!.options.includes(token)));
    const red = await ids({
      query: 'lamp',
      filter: { options: [{ name: 'Colour', value: 'RED' }] },
    });
    expect(red.sort()).toEqual(
      having('colour=red')
        .map((lamp) => lamp.id)
        .sort(),
    );
    const redOrBlueLarge = await ids({
      query: 'lamp',
      filter: {
        options: [
          { name: 'colour', value: 'red' },
          { name: 'colour', value: 'blue' },
          { name: 'size', value: 'l' },
        ],
      },
    });
    expect(redOrBlueLarge.sort()).toEqual(
      [...having('colour=red', 'size=l'), ...having('colour=blue', 'size=l')]
        .map((lamp) => lamp.id)
        .sort(),
    );
    const faceted = await index.search({
      query: 'lamp',
      first: 1,
      facets: true,
      filter: { options: [{ name: 'size', value: 'l' }] },
    });
    expect(faceted.facets.filter((facet) => facet.name.startsWith('option:'))).toEqual([
      {
        name: 'option:colour',
        values: LAMP_COLOURS.map((colour) => ({
          value: colour,
          count: having(`colour=${colour}`, 'size=l').length,
        })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      },
      { name: 'option:size', values: [{ value: 'l', count: having('size=l').length }] },
    ]);
  });

  it('matches several options on one variant, not across variants, and still counts products in facets', async () => {
    const [split, redM] = SHIRTS;
    await index.upsert([split, redM]);
    await index.refresh();
    try {
      const [red] = RED_M;
      expect(await ids({ query: 'shirt', filter: { options: RED_M } })).toEqual([redM.id]);
      expect(
        await ids({ query: 'shirt', filter: { options: [red, { name: 'size', value: 's' }] } }),
      ).toEqual([split.id]);
      // Any of one option's values, on the same variant as the other option's value.
      const redOrBlueM = await ids({
        query: 'shirt',
        filter: {
          options: [red, { name: 'colour', value: 'blue' }, { name: 'size', value: 'm' }],
        },
      });
      expect(redOrBlueM.sort()).toEqual([split.id, redM.id].sort());
      expect(
        await ids({
          query: 'shirt',
          filter: {
            options: [
              { name: 'colour', value: 'white' },
              { name: 'size', value: 'm' },
            ],
          },
        }),
      ).toEqual([]);
      const faceted = await index.search({
        query: 'shirt',
        first: 1,
        facets: true,
        filter: { options: RED_M },
      });
      expect(faceted.totalCount).toBe(1);
      // The one matching product, counted once for each value any of its variants has.
      expect(faceted.facets.filter((facet) => facet.name.startsWith('option:'))).toEqual([
        {
          name: 'option:colour',
          values: [
            { value: 'red', count: 1 },
            { value: 'white', count: 1 },
          ],
        },
        {
          name: 'option:size',
          values: [
            { value: 'l', count: 1 },
            { value: 'm', count: 1 },
          ],
        },
      ]);
    } finally {
      await index.delete([split.id, redM.id]);
      await index.refresh();
    }
  });

  it('upgrades an index from before per-variant options in place: its documents match per product until written again', async () => {
    const namespace = testNamespace('search-upgrade');
    const config = { ...loadConfig({}), namespace, search: search() };
    const old = await createSearchIndex(config, { db: database.prisma, logger });
    try {
      await engine.writeIndexFromBeforeVariants({
        namespace,
        db: database.prisma,
        index: old,
        documents: [...SHIRTS],
      });
      expect(await old.ensureIndex()).toBe(false);
      await old.refresh();
      const redM = async () =>
        (await old.search({ query: 'shirt', first: 10, filter: { options: RED_M } })).hits
          .map((hit) => hit.id)
          .sort();
      // Without their variants they match as before the upgrade: red and M anywhere in the product.
      expect(await redM()).toEqual(SHIRTS.map((document) => document.id).sort());
      await old.upsert([SHIRTS[0]]);
      await old.refresh();
      expect(await redM()).toEqual([SHIRTS[1].id]);
    } finally {
      await old.drop();
      await old.close();
    }
  });

  it('sorts by price, name and creation time either way, paging in that order', async () => {
    const lamps = documents.filter((document) => document.sku.startsWith('LAMP-'));
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const primary = {
      price: (a: SearchDocument, b: SearchDocument) => a.priceAmount - b.priceAmount,
      name: (a: SearchDocument, b: SearchDocument) =>
        compare(a.name.toLowerCase(), b.name.toLowerCase()),
      createdAt: (a: SearchDocument, b: SearchDocument) =>
        a.createdAt.getTime() - b.createdAt.getTime(),
    };
    for (const key of ['price', 'name', 'createdAt'] as const) {
      for (const descending of [false, true]) {
        // Ties break by id ascending either way.
        const expected = [...lamps]
          .sort((a, b) => (descending ? -1 : 1) * primary[key](a, b) || compare(a.id, b.id))
          .map((lamp) => lamp.id);
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await index.search({
            query: 'lamp',
            first: 5,
            after,
            sort: { key, descending },
          });
          seen.push(...page.hits.map((hit) => hit.id));
          if (!page.hasNextPage) break;
          after = page.hits.at(-1)!.cursor;
        }
        expect(seen).toEqual(expected);
      }
    }
    const priced = await index.search({
      query: 'lamp',
      first: 2,
      sort: { key: 'price', descending: false },
    });
    await expect(
      index.search({ query: 'lamp', first: 2, after: priced.hits.at(-1)!.cursor }),
    ).rejects.toThrow(/cursor/i);
  });

  it('pages through every hit exactly once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await index.search({ query: 'lamp', first: 4, after });
      seen.push(...page.hits.map((hit) => hit.id));
      pages += 1;
      if (!page.hasNextPage) break;
      after = page.hits.at(-1)!.cursor;
    }
    expect(pages).toBe(6);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
  });

  it('forgets deleted documents and sees updates', async () => {
    await index.delete([uuid(6)]);
    await index.upsert([{ ...documents[3]!, name: 'Santoku Knife' }]);
    await index.refresh();
    expect(await ids({ query: 'tent' })).not.toContain(uuid(6));
    expect(await ids({ query: 'santoku' })).toEqual([uuid(4)]);
  });

  it('reindexes into a new version and keeps answering through the alias', async () => {
    async function* batches() {
      yield documents.slice(0, 10);
      yield documents.slice(10);
    }
    const { documents: count } = await index.reindex(batches());
    expect(count).toBe(documents.length);
    // The rebuilt index has the tent again and the original knife name.
    expect(await ids({ query: 'tent' })).toContain(uuid(6));
    expect(await ids({ query: 'chef knife' })).toContain(uuid(4));
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(index.search({ query: 'lamp', first: 2, after: 'not-a-cursor' })).rejects.toThrow(
      /cursor/i,
    );
  });
});
