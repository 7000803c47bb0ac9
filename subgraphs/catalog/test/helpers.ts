import { PrismaPg } from '@prisma/adapter-pg';
import { createTestAuthority, type Principal, type TestAuthority } from '@microshop/auth';
import { loadConfig } from '@microshop/config';
import { PrismaClient, parseDatabaseUrl, type Db } from '@microshop/db';
import { createLogger, startSubgraphServer, type RunningServer } from '@microshop/runtime';
import { createSearchIndex, type SearchIndex } from '@microshop/search';
import { createTestDatabase, testNamespace, type TestDatabase } from '@microshop/testing';
import { createCatalogApp } from '../src/app.ts';

export const silentLogger = createLogger('catalog-test', { logLevel: 'silent' });

export const ADMIN: Principal = { userId: '11111111-1111-4111-8111-111111111111', role: 'ADMIN' };
export const CUSTOMER: Principal = {
  userId: '22222222-2222-4222-8222-222222222222',
  role: 'CUSTOMER',
};

/**
 * A client of the test schema that reports every SQL statement it sends, to prove how many
 * queries a request costs. Same connection settings as createPrismaClient.
 */
export function createQueryCountingClient(url: string): { db: Db; statements: string[] } {
  const { connectionString, schema } = parseDatabaseUrl(url);
  const adapter = new PrismaPg(
    {
      connectionString,
      max: 5,
      ...(schema ? { options: `-c search_path="${schema}",public` } : {}),
    },
    schema ? { schema } : undefined,
  );
  const db = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const statements: string[] = [];
  db.$on('query', (event) => statements.push(event.query));
  return { db, statements };
}

/**
 * The statements that read or wrote catalog rows, leaving out the read of the catalog's read
 * version that every request with kept product rows makes first (product-rows.ts).
 */
export function rowStatements(statements: readonly string[]): string[] {
  return statements.filter((statement) => !statement.includes('catalog_read_versions'));
}

export interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface CatalogHarness {
  database: TestDatabase;
  db: Db;
  /** Every SQL statement the subgraph server sent (reset it before measuring). */
  statements: string[];
  searchIndex: SearchIndex;
  authority: TestAuthority;
  server: RunningServer;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** The catalog subgraph on a fresh schema, PostgreSQL search, and a test token authority. */
export async function startCatalogHarness(): Promise<CatalogHarness> {
  const database = await createTestDatabase();
  const { db, statements } = createQueryCountingClient(database.url);
  const authority = await createTestAuthority();
  const config = {
    ...loadConfig({}),
    namespace: testNamespace('catalog'),
    search: { kind: 'postgres' as const },
  };
  const searchIndex = await createSearchIndex(config, {
    db: database.prisma,
    logger: silentLogger,
  });
  await searchIndex.ensureIndex();
  const server = await startSubgraphServer(
    createCatalogApp({
      db,
      searchIndex,
      verifier: authority.verifier,
      logger: silentLogger,
      showInternalErrors: true,
      productRowCacheEntries: config.productRowCacheEntries,
    }),
    { port: 0, host: '127.0.0.1' },
  );
  return {
    database,
    db: database.prisma,
    statements,
    searchIndex,
    authority,
    server,
    async graphql(query, variables, principal) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (principal) headers.authorization = `Bearer ${await authority.tokenFor(principal)}`;
      const response = await fetch(server.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    async close() {
      await server.close();
      await searchIndex.drop();
      await searchIndex.close();
      await db.$disconnect();
      await database.drop();
    },
  };
}

/**
 * Inserts categories and products directly (test setup, not the code under test); ids in input
 * order. Each is a single-variant product as the variants migration leaves one: its variant has
 * the product's id, sku, price and stock.
 */
export async function insertProducts(
  db: Db,
  products: Array<{
    sku: string;
    name?: string;
    priceAmount?: number;
    onHand?: number;
    categorySlug?: string;
  }>,
): Promise<string[]> {
  const slugs = [
    ...new Set(products.flatMap((product) => (product.categorySlug ? [product.categorySlug] : []))),
  ];
  await db.category.createMany({
    data: slugs.map((slug) => ({ slug, name: slug })),
    skipDuplicates: true,
  });
  const categories = new Map(
    (await db.category.findMany({ where: { slug: { in: slugs } } })).map((category) => [
      category.slug,
      category.id,
    ]),
  );
  const created = await db.product.createManyAndReturn({
    data: products.map((product) => ({
      sku: product.sku,
      name: product.name ?? `Product ${product.sku}`,
      description: `Description of ${product.sku}`,
      priceAmount: product.priceAmount ?? 1000,
      currency: 'EUR',
      categoryId: product.categorySlug ? (categories.get(product.categorySlug) ?? null) : null,
    })),
    select: { id: true, sku: true, priceAmount: true },
  });
  const onHandBySku = new Map(products.map((product) => [product.sku, product.onHand ?? 10]));
  await db.productVariant.createMany({
    data: created.map((row) => ({
      id: row.id,
      productId: row.id,
      sku: row.sku,
      priceAmount: row.priceAmount,
      onHand: onHandBySku.get(row.sku) ?? 0,
    })),
  });
  const idBySku = new Map(created.map((row) => [row.sku, row.id]));
  return products.map((product) => idBySku.get(product.sku)!);
}
