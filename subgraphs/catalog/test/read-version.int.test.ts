import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogVersion, type Db } from '@microshop/db';
import { createTestDatabase, type TestDatabase } from '@microshop/testing';
import { ProductRepository } from '../src/product.repository.ts';
import { insertProducts } from './helpers.ts';

/**
 * The catalog's read version (what the gateway's response cache is valid for) on a real
 * PostgreSQL: it grows with every committed write to a table the public reads are made of, in the
 * writing transaction itself, and with nothing else.
 */

let database: TestDatabase;
let db: Db;
let repository: ProductRepository;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  repository = new ProductRepository(db);
});
afterAll(async () => {
  await database?.drop();
});

const version = async () => BigInt(await readCatalogVersion(db));

/**
 * Catalog tables no public read shows directly: reservations reach readers only through the
 * variants' `reserved`, which they update; the version's own table.
 */
const NOT_SHOWN = ['stock_reservations', 'catalog_read_versions'];

/** Every table of a model in the catalog's Prisma schema. */
function catalogTables(): string[] {
  const schema = readFileSync(
    new URL('../../../prisma/schema/catalog.prisma', import.meta.url),
    'utf8',
  );
  // A model's block ends at the first line that is a lone "}"; its table is its @@map.
  return [...schema.matchAll(/^model \w+ \{\n(?:(?!\}\n).*\n)*?\s*@@map\("(\w+)"\)/gm)].map(
    (match) => match[1]!,
  );
}

describe('catalog read version', () => {
  it('is moved by every catalog table a public read shows (a new table needs the trigger)', async () => {
    const rows = await db.$queryRaw<{ table: string }[]>`
      SELECT DISTINCT event_object_table AS table FROM information_schema.triggers
      WHERE action_statement LIKE '%bump_catalog_read_version%'
        AND event_object_schema = current_schema()`;
    const shown = catalogTables().filter((table) => !NOT_SHOWN.includes(table));
    expect(shown).toContain('product_variants');
    expect(rows.map((row) => row.table).sort()).toEqual(shown.sort());
  });

  it('grows with a write to each of categories, products, variants and images, not with reads', async () => {
    const [id] = await insertProducts(db, [{ sku: 'RV-1', categorySlug: 'read-version' }]);
    const writes: Array<() => Promise<unknown>> = [
      () => db.category.create({ data: { slug: 'rv-other', name: 'Other' } }),
      () => db.product.update({ where: { id: id! }, data: { name: 'Renamed' } }),
      () => db.productVariant.update({ where: { id: id! }, data: { onHand: { increment: 1 } } }),
      () =>
        db.productImage.create({
          data: {
            productId: id!,
            url: 'https://images.example.com/a.jpg',
            altText: '',
            position: 0,
          },
        }),
      () => db.productImage.deleteMany({ where: { productId: id! } }),
    ];
    for (const write of writes) {
      const before = await version();
      await write();
      expect(await version()).toBeGreaterThan(before);
    }
    const before = await version();
    await repository.findByIdsWithCategories([id!]);
    await db.product.findMany();
    expect(await version()).toBe(before);
  });

  it('moves at the commit of the writing transaction, and not at all for one rolled back', async () => {
    const [id] = await insertProducts(db, [{ sku: 'RV-2' }]);
    const before = await version();
    let releaseCommit: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseCommit = resolve));
    let written: () => void = () => {};
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const committing = db.$transaction(async (tx) => {
      await tx.product.update({ where: { id: id! }, data: { priceAmount: 1_234 } });
      written();
      await held;
    });
    await wrote;
    // Written but not committed: a reader still sees the version it had, and the old price.
    expect(await version()).toBe(before);
    releaseCommit();
    await committing;
    expect(await version()).toBeGreaterThan(before);

    const committed = await version();
    await expect(
      db.$transaction(async (tx) => {
        await tx.product.update({ where: { id: id! }, data: { priceAmount: 9_999 } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await version()).toBe(committed);
  });

  it('counts every one of concurrent writers exactly once', async () => {
    const [id] = await insertProducts(db, [{ sku: 'RV-3', onHand: 0 }]);
    const before = await version();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.productVariant.update({ where: { id: id! }, data: { onHand: { increment: 1 } } }),
      ),
    );
    expect(await version()).toBe(before + 20n);
    expect((await db.productVariant.findUniqueOrThrow({ where: { id: id! } })).onHand).toBe(20);
  });
});
