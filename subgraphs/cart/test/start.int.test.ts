import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type TestAuthority } from '@microshop/auth';
import { loadConfig, type Config } from '@microshop/config';
import { createEvent, createEventBus, type DomainEvent, type EventBus } from '@microshop/events';
import { createLogger, sendJson, type RunningServer } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  type TestDatabase,
} from '@microshop/testing';
import { start } from '../src/start.ts';
import { CatalogDouble } from './support/catalog-double.ts';
import { postGraphQL } from './support/graphql-client.ts';

/*
 * The cart process as `npm start` runs it, through start(config): Redis store, the OrderPlaced
 * consumer on the event bus (the Postgres log here; Kafka is exercised by the e2e suite), and
 * the HTTP server verifying tokens against a JWKS URL. The users and catalog services are
 * stood in for by a JWKS endpoint and the catalog double.
 */
const logger = createLogger('cart-start-test', {
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
});
const CART = '{ cart { items { product { id } quantity } } }';
const ADD = `mutation($productId: ID!, $quantity: Int!) { addToCart(productId: $productId, quantity: $quantity) { userErrors { code } } }`;

async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('cart process (start)', () => {
  let db: TestDatabase;
  let authority: TestAuthority;
  let jwks: Server;
  let catalog: CatalogDouble;
  let config: Config;
  let running: RunningServer;
  let bus: EventBus;
  const namespace = testNamespace('cart');

  beforeAll(async () => {
    [db, authority] = await Promise.all([createTestDatabase(), createTestAuthority()]);
    jwks = createServer((_req, res) => sendJson(res, 200, authority.jwks));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    catalog = new CatalogDouble(authority.verifier);
    await catalog.start();
    config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL: requireBackend('REDIS_URL'),
      NAMESPACE: namespace,
      CART_PORT: '0',
      CATALOG_URL: catalog.url,
      JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
    });
    running = await start(config, logger);
    bus = await createEventBus(config, { db: db.prisma, logger });
  });
  afterAll(async () => {
    await bus?.close();
    await running?.close();
    await catalog?.stop();
    jwks?.close();
    const redis = new Redis(requireBackend('REDIS_URL'));
    const keys = await redis.keys(`${namespace}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('takes the ordered units out of the cart when OrderPlaced arrives, once', async () => {
    const userId = randomUUID();
    const token = await authority.tokenFor({ userId, role: 'CUSTOMER' });
    const [ordered, partly, kept] = [
      catalog.addProduct(),
      catalog.addProduct(),
      catalog.addProduct(),
    ];
    for (const [productId, quantity] of [
      [ordered, 2],
      [partly, 5],
      [kept, 1],
    ] as const) {
      const added = await postGraphQL(running.url, ADD, {
        token,
        variables: { productId, quantity },
      });
      expect(added.data).toEqual({ addToCart: { userErrors: [] } });
    }
    const orderId = randomUUID();
    const item = (productId: string, quantity: number) => ({
      productId,
      quantity,
      unitPrice: { amount: 1_000, currency: 'EUR' },
      productName: 'A product',
    });
    const placed: DomainEvent<'OrderPlaced'> = createEvent('OrderPlaced', orderId, {
      orderId,
      userId,
      items: [item(ordered, 2), item(partly, 3)],
      total: { amount: 5_000, currency: 'EUR' },
      paymentToken: 'tok_visa',
    });
    await bus.publish([placed]);

    const expected = {
      cart: {
        items: [
          { product: { id: partly }, quantity: 2 },
          { product: { id: kept }, quantity: 1 },
        ],
      },
    };
    await eventually(async () => {
      expect((await postGraphQL(running.url, CART, { token })).data).toEqual(expected);
    });

    // The same event again, and the same order under a new event id (a republished outbox row):
    // neither removes anything more.
    await bus.publish([placed, { ...placed, id: randomUUID() }]);
    // A later order, on the same key so it is handled after them: once it shows, they were handled.
    const later = createEvent('OrderPlaced', orderId, {
      ...placed.payload,
      orderId: randomUUID(),
      items: [item(kept, 1)],
    });
    await bus.publish([later]);
    await eventually(async () => {
      const cart = (await postGraphQL<{ cart: { items: unknown[] } }>(running.url, CART, { token }))
        .data?.cart;
      expect(cart?.items).toEqual([{ product: { id: partly }, quantity: 2 }]);
    });
  });
});
