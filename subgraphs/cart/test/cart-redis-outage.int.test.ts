import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type TestAuthority } from '@microshop/auth';
import { createEvent } from '@microshop/events';
import { createLogger, startSubgraphServer, type RunningServer } from '@microshop/runtime';
import { testNamespace } from '@microshop/testing';
import { createCartApp } from '../src/app.ts';
import { CartStoreUnavailableError } from '../src/cart-store.ts';
import { RedisCartStore } from '../src/cart-store.redis.ts';
import { createCatalogClient } from '../src/catalog-client.ts';
import { CartSaga } from '../src/order-events.ts';
import { CatalogDouble } from './support/catalog-double.ts';
import { errorCodes, postGraphQL } from './support/graphql-client.ts';
import { freePort, RedisProcess } from './support/redis-process.ts';

/*
 * Redis going away and coming back, on a redis-server this file starts itself (the shared one on
 * 6379 is never touched): the cart answers SERVICE_UNAVAILABLE at once while Redis is down and
 * serves again by itself when it is back.
 */
const logger = createLogger('cart-outage-test', {
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
});
const ADD = `mutation($productId: ID!) { addToCart(productId: $productId, quantity: 1) {
  cart { items { product { id } quantity } } userErrors { code } } }`;

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('cart subgraph while Redis is down', () => {
  let redis: RedisProcess;
  let store: RedisCartStore;
  let authority: TestAuthority;
  let catalog: CatalogDouble;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    authority = await createTestAuthority();
    catalog = new CatalogDouble(authority.verifier);
    await catalog.start();
    store = new RedisCartStore({ url: redis.url, namespace: testNamespace('cart'), logger });
    await store.init();
    server = await startSubgraphServer(
      createCartApp({
        store,
        catalog: createCatalogClient({ url: catalog.url }),
        verifier: authority.verifier,
        logger,
        showInternalErrors: false,
      }),
      { port: 0, host: '127.0.0.1' },
    );
    token = await authority.tokenFor({ userId: randomUUID(), role: 'CUSTOMER' });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await catalog?.stop();
    await redis?.stop();
  });

  const add = (productId: string) =>
    postGraphQL(server.url, ADD, { token, variables: { productId } });
  const readiness = async () =>
    (await fetch(server.url.replace('/graphql', '/health/ready'))).status;

  it('answers SERVICE_UNAVAILABLE at once while Redis is down, and recovers by itself', async () => {
    const product = catalog.addProduct();
    expect((await add(product)).data).toEqual({
      addToCart: { cart: { items: [{ product: { id: product }, quantity: 1 }] }, userErrors: [] },
    });
    expect(await readiness()).toBe(200);

    await redis.stop();
    const startedAt = Date.now();
    const refused = await add(product);
    // Refused at once rather than queued until a reconnect (which would take the command timeout).
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(errorCodes(refused)).toEqual(['SERVICE_UNAVAILABLE']);
    // A field error like any other (HTTP 200), so the gateway keeps its code and the rest of the data.
    expect(refused.status).toBe(200);
    expect(refused.errors?.[0]?.message).not.toMatch(/redis|127\.0\.0\.1|ECONNREFUSED/i);
    expect(errorCodes(await postGraphQL(server.url, '{ cart { id } }', { token }))).toEqual([
      'SERVICE_UNAVAILABLE',
    ]);
    expect(await readiness()).toBe(503);

    // Redis comes back empty (no persistence): the cart works again without a restart.
    await redis.start();
    const recovered = await eventually(async () => {
      const result = await add(product);
      expect(result.errors).toBeUndefined();
      return result;
    });
    expect(recovered.data).toEqual({
      addToCart: { cart: { items: [{ product: { id: product }, quantity: 1 }] }, userErrors: [] },
    });
    expect(await readiness()).toBe(200);
  });

  it('fails an OrderPlaced while Redis is down (so the bus retries it) and applies it once back', async () => {
    const userId = randomUUID();
    const product = randomUUID();
    await store.changeLine(userId, { variantId: product, quantity: 3, mode: 'add', available: 10 });
    const orderId = randomUUID();
    const placed = createEvent('OrderPlaced', orderId, {
      orderId,
      userId,
      items: [
        {
          productId: randomUUID(),
          variantId: product,
          quantity: 2,
          unitPrice: { amount: 100, currency: 'EUR' },
          productName: 'P',
        },
      ],
      total: { amount: 200, currency: 'EUR' },
      paymentToken: 'tok_visa',
    });
    const handle = new CartSaga(store).handleOrderEvent;
    await redis.stop();
    await expect(handle(null, placed, { log: logger })).rejects.toBeInstanceOf(
      CartStoreUnavailableError,
    );
    await redis.start(); // empty again: the cart is gone with the old server's memory
    await eventually(() =>
      store.changeLine(userId, { variantId: product, quantity: 3, mode: 'add', available: 10 }),
    );
    await eventually(() => handle(null, placed, { log: logger }));
    expect((await store.read(userId)).map((line) => line.quantity)).toEqual([1]);
  });

  it('starts while Redis is down and serves once it is up', async () => {
    const port = await freePort();
    const late = new RedisProcess(port);
    const lateStore = new RedisCartStore({
      url: late.url,
      namespace: testNamespace('cart'),
      logger,
    });
    try {
      await lateStore.init(); // does not throw: the client keeps trying
      await expect(lateStore.read('someone')).rejects.toBeInstanceOf(CartStoreUnavailableError);
      await late.start();
      expect(await eventually(() => lateStore.read('someone'))).toEqual([]);
    } finally {
      await lateStore.close();
      await late.stop();
    }
  });
});
