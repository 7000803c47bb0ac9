import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@microshop/testing';
import { seedDemoCatalog, seedGeneratedCatalog } from '../demo/seed.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('seeding', () => {
  it('seeds the demo catalog once, announcing each product to the search index', async () => {
    const first = await seedDemoCatalog(database.prisma);
    expect(first.created).toBeGreaterThanOrEqual(50);
    expect(await database.prisma.category.count()).toBeGreaterThanOrEqual(5);
    expect(await database.prisma.outboxEvent.count({ where: { type: 'ProductChanged' } })).toBe(
      first.created,
    );

    // One demo product comes in colours: its first variant has options, two more follow.
    const blanket = await database.prisma.product.findUniqueOrThrow({
      where: { sku: 'HOM-007' },
      include: { variants: { orderBy: { sku: 'asc' } } },
    });
    expect(blanket.variants.map((variant) => [variant.sku, variant.selectedOptions])).toEqual([
      ['HOM-007', [{ name: 'Colour', value: 'Grey' }]],
      ['HOM-007-NAVY', [{ name: 'Colour', value: 'Navy' }]],
      ['HOM-007-OCHRE', [{ name: 'Colour', value: 'Ochre' }]],
    ]);

    const second = await seedDemoCatalog(database.prisma);
    expect(second.created).toBe(0);
    expect(await database.prisma.productVariant.count()).toBe(first.created + 2);
    expect(await database.prisma.product.count()).toBe(first.created);
    expect(await database.prisma.outboxEvent.count({ where: { type: 'ProductChanged' } })).toBe(
      first.created,
    );
  });

  it('refuses to seed demo data into production', async () => {
    await expect(seedDemoCatalog(database.prisma, { isProduction: true })).rejects.toThrow(
      /production/,
    );
  });

  it('generates a catalog in batches and tops it up idempotently', async () => {
    const first = await seedGeneratedCatalog(database.prisma, 1_200, { batchSize: 500 });
    expect(first.created).toBe(1_200);
    const again = await seedGeneratedCatalog(database.prisma, 1_500, { batchSize: 500 });
    expect(again.created).toBe(300);
    const generated = await database.prisma.product.findMany({
      where: { sku: { startsWith: 'GEN-' } },
      take: 50,
    });
    for (const product of generated) {
      expect(product.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [A-Za-z ]+$/);
      expect(product.priceAmount).toBeGreaterThan(0);
      expect(product.categoryId).not.toBeNull();
    }
  });
});
