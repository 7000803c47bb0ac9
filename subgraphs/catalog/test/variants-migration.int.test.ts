import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createPrismaClient, MIGRATIONS_DIR, type Db } from '@microshop/db';
import { requireBackend } from '@microshop/testing';

/**
 * The variants migration on a populated database: a schema migrated up to just before it, filled
 * the way the shop filled it (products with stock on hand and reserved, open and settled
 * reservations, cart lines, order lines), then migrated the rest of the way.
 */
const VARIANTS_MIGRATION = '20261205000200_product_variants';

const baseUrl = requireBackend('DATABASE_URL');
const schema = `test_variants_${randomBytes(5).toString('hex')}`;
const url = (() => {
  const parsed = new URL(baseUrl);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
})();
let dir: string;
let db: Db;

const ids = {
  category: randomUUID(),
  mug: randomUUID(),
  kettle: randomUUID(),
  order: randomUUID(),
  user: randomUUID(),
};

/** Copies the migration folders `keep` accepts into the temporary migrations folder. */
async function copyMigrations(keep: (name: string) => boolean): Promise<void> {
  for (const name of await readdir(MIGRATIONS_DIR)) {
    if (keep(name)) await cp(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'variants-migration-'));
  await copyMigrations((name) => name < VARIANTS_MIGRATION);
  await applyMigrations(url, { dir });
  db = createPrismaClient(url);
  await db.$executeRawUnsafe(
    `INSERT INTO categories (id, slug, name) VALUES ('${ids.category}', 'kitchen', 'Kitchen')`,
  );
  await db.$executeRawUnsafe(`
    INSERT INTO products (id, sku, name, description, price_amount, currency, category_id, on_hand, reserved, created_at, updated_at)
    VALUES ('${ids.mug}', 'MUG-1', 'Mug', 'A mug.', 1250, 'EUR', '${ids.category}', 40, 3, '2026-11-01T10:00:00Z', '2026-11-02T10:00:00Z'),
           ('${ids.kettle}', 'KETTLE-1', 'Kettle', 'A kettle.', 6900, 'EUR', NULL, 0, 0, '2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z')`);
  await db.$executeRawUnsafe(`
    INSERT INTO stock_reservations (id, order_id, product_id, quantity, status, updated_at)
    VALUES (gen_random_uuid(), '${ids.order}', '${ids.mug}', 3, 'RESERVED', now()),
           (gen_random_uuid(), '${randomUUID()}', '${ids.mug}', 2, 'COMMITTED', now())`);
  await db.$executeRawUnsafe(
    `INSERT INTO carts (user_id, expires_at) VALUES ('${ids.user}', now() + interval '1 day')`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO cart_items (user_id, product_id, quantity) VALUES ('${ids.user}', '${ids.kettle}', 2)`,
  );
  await db.$executeRawUnsafe(`
    INSERT INTO orders (id, user_id, idempotency_key, status, total_amount, currency, updated_at)
    VALUES ('${ids.order}', '${ids.user}', 'k-1', 'CONFIRMED', 3750, 'EUR', now())`);
  await db.$executeRawUnsafe(`
    INSERT INTO order_items (order_id, position, product_id, product_name, unit_price_amount, currency, quantity)
    VALUES ('${ids.order}', 1, '${ids.mug}', 'Mug', 1250, 'EUR', 3)`);

  await copyMigrations((name) => name >= VARIANTS_MIGRATION);
  const result = await applyMigrations(url, { dir });
  expect(result.applied).toContain(VARIANTS_MIGRATION);
});

afterAll(async () => {
  await db?.$disconnect();
  const admin = createPrismaClient(baseUrl);
  await admin.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.$disconnect();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the variants migration on a populated database', () => {
  it("turns every product into a single-variant product with the product's id, sku, price and stock", async () => {
    const variants = await db.productVariant.findMany({ orderBy: { sku: 'asc' } });
    expect(variants).toEqual([
      expect.objectContaining({
        id: ids.kettle,
        productId: ids.kettle,
        sku: 'KETTLE-1',
        selectedOptions: [],
        optionKey: '',
        priceAmount: 6900,
        onHand: 0,
        reserved: 0,
      }),
      expect.objectContaining({
        id: ids.mug,
        productId: ids.mug,
        sku: 'MUG-1',
        priceAmount: 1250,
        onHand: 40,
        reserved: 3,
        createdAt: new Date('2026-11-01T10:00:00Z'),
      }),
    ]);
    // The product keeps its own columns; its price is its variant's.
    expect(await db.product.findUniqueOrThrow({ where: { id: ids.mug } })).toMatchObject({
      sku: 'MUG-1',
      priceAmount: 1250,
      categoryId: ids.category,
    });
  });

  it('keeps every reservation, now of the variant', async () => {
    const reservations = await db.stockReservation.findMany({ orderBy: { quantity: 'desc' } });
    expect(
      reservations.map(({ productId, variantId, quantity, status }) => ({
        productId,
        variantId,
        quantity,
        status,
      })),
    ).toEqual([
      { productId: ids.mug, variantId: ids.mug, quantity: 3, status: 'RESERVED' },
      { productId: ids.mug, variantId: ids.mug, quantity: 2, status: 'COMMITTED' },
    ]);
  });

  it('keeps cart lines (as variant lines) and order lines (with the variant recorded)', async () => {
    expect(await db.cartItem.findMany()).toEqual([
      expect.objectContaining({ userId: ids.user, variantId: ids.kettle, quantity: 2 }),
    ]);
    expect(await db.orderItem.findMany()).toEqual([
      expect.objectContaining({
        orderId: ids.order,
        productId: ids.mug,
        productName: 'Mug',
        variantId: ids.mug,
        variantSku: 'MUG-1',
        variantTitle: 'Default',
        selectedOptions: [],
        unitPriceAmount: 1250,
        quantity: 3,
      }),
    ]);
  });
});
