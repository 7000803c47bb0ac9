import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type TestAuthority } from '@microshop/auth';
import { loadConfig, type Config } from '@microshop/config';
import { createEventBus, createEvent, type EventBus } from '@microshop/events';
import type { RunningServer } from '@microshop/runtime';
import { createSearchIndex } from '@microshop/search';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  type TestDatabase,
} from '@microshop/testing';
import { start } from '../src/start.ts';
import { ADMIN, silentLogger, type GraphQLResponse } from './helpers.ts';

/**
 * The catalog process as `npm start` runs it, on the real bus (Kafka) and search engine
 * (OpenSearch/Elasticsearch): writes reach the index through outbox -> relay -> bus -> search
 * sync, and OrderPlaced events from the bus reserve stock once however often they arrive.
 */

let database: TestDatabase;
let authority: TestAuthority;
let jwks: Server;
let config: Config;
let catalog: RunningServer;
let bus: EventBus;

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  authority = await createTestAuthority();
  jwks = createServer((_req, res) => res.end(JSON.stringify(authority.jwks)));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  requireBackend('KAFKA_BROKERS');
  requireBackend('ELASTICSEARCH_URL');
  config = loadConfig({
    ...process.env,
    DATABASE_URL: database.url,
    NAMESPACE: testNamespace('catproc'),
    CATALOG_PORT: '0',
    JWKS_URL: jwksUrl,
    LOG_LEVEL: 'silent',
  });
  catalog = await start(config, silentLogger);
  bus = await createEventBus(config, { db: database.prisma, logger: silentLogger });
});

afterAll(async () => {
  await bus?.close();
  await catalog?.close();
  if (config) {
    const index = await createSearchIndex(config, { db: database.prisma, logger: silentLogger });
    await index.drop();
    await index.close();
  }
  await new Promise((resolve) => jwks?.close(resolve));
  await database?.drop();
});

async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  admin = false,
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (admin) headers.authorization = `Bearer ${await authority.tokenFor(ADMIN)}`;
  const response = await fetch(catalog.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

describe('catalog process', () => {
  it('indexes a created product through the outbox and finds it by prefix and typo', async () => {
    await database.prisma.category.create({ data: { slug: 'kitchen', name: 'Kitchen' } });
    const created = await graphql<{ createProduct: { product: { id: string } } }>(
      `
        mutation {
          createProduct(
            input: {
              sku: "PROC-1"
              name: "Gooseneck Kettle"
              description: "Pour-over kettle."
              priceAmount: 6900
              currency: "EUR"
              categorySlug: "kitchen"
              initialStock: 3
            }
          ) {
            product {
              id
            }
            userErrors {
              code
            }
          }
        }
      `,
      {},
      true,
    );
    const id = created.data!.createProduct.product.id;
    type Search = {
      searchProducts: {
        edges: Array<{ node: { id: string; stock: number } }>;
        facets: Array<{ name: string; values: Array<{ value: string; count: number }> }>;
      };
    };
    const found = await eventually(async () => {
      const result = await graphql<Search>(
        '{ searchProducts(query: "gooseneck") { edges { node { id stock } } facets { name values { value count } } } }',
      );
      return result.data?.searchProducts.edges.length ? result.data.searchProducts : undefined;
    }, 'the product in the search index');
    expect(found.edges.map((edge) => edge.node.id)).toEqual([id]);
    expect(found.facets.find((facet) => facet.name === 'category')?.values).toEqual([
      { value: 'kitchen', count: 1 },
    ]);
    const prefix = await graphql<Search>(
      '{ searchProducts(query: "goosen") { edges { node { id } } } }',
    );
    expect(prefix.data?.searchProducts.edges.map((edge) => edge.node.id)).toEqual([id]);
    const typo = await graphql<Search>(
      '{ searchProducts(query: "kettel") { edges { node { id } } } }',
    );
    expect(typo.data?.searchProducts.edges.map((edge) => edge.node.id)).toEqual([id]);
  });

  it('reserves stock for an OrderPlaced from the bus once, however often it is delivered', async () => {
    const product = await database.prisma.product.findUniqueOrThrow({ where: { sku: 'PROC-1' } });
    const variant = await database.prisma.productVariant.findUniqueOrThrow({
      where: { sku: 'PROC-1' },
    });
    const orderId = randomUUID();
    const placed = createEvent('OrderPlaced', orderId, {
      orderId,
      userId: randomUUID(),
      items: [
        {
          productId: product.id,
          variantId: variant.id,
          quantity: 2,
          unitPrice: { amount: 6900, currency: 'EUR' },
          productName: product.name,
        },
      ],
      total: { amount: 13800, currency: 'EUR' },
      paymentToken: 'tok_visa',
    });
    await bus.publish([placed]);
    await bus.publish([placed]); // redelivery
    await eventually(
      async () =>
        (await database.prisma.outboxEvent.count({
          where: { aggregateId: orderId, type: 'StockReserved' },
        })) || undefined,
      'StockReserved',
    );
    // Give the duplicate time to be consumed (it is behind the first one in the same partition).
    await eventually(
      async () =>
        (await database.prisma.processedEvent.count({ where: { eventId: placed.id } })) ||
        undefined,
      'the event recorded as processed',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(
      await database.prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } }),
    ).toMatchObject({ onHand: 3, reserved: 2 });
    expect(await database.prisma.stockReservation.count({ where: { orderId } })).toBe(1);
    expect(await database.prisma.outboxEvent.count({ where: { aggregateId: orderId } })).toBe(1);
  });
});
