import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type RunningServer } from '@microshop/runtime';
import { graphql, signUpUser } from '@microshop/testing';
import { startStack, type Stack } from '@microshop/e2e';
import { startGateway } from '@microshop/gateway';

const PRODUCTS = 100;

/**
 * A real HTTP hop between a gateway and the catalog that records every request body: how many
 * calls the gateway's query plan makes to the catalog, and with how many entity references.
 */
async function startRecordingProxy(target: string) {
  const bodies: { query: string; variables?: { representations?: unknown[] } }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    bodies.push(JSON.parse(body));
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'x-request-id']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = await fetch(target, { method: 'POST', headers, body });
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let stack: Stack;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let observedGateway: RunningServer;

beforeAll(async () => {
  stack = await startStack();
  proxy = await startRecordingProxy(stack.config.subgraphUrls.catalog);
  observedGateway = await startGateway(
    { ...stack.config, subgraphUrls: { ...stack.config.subgraphUrls, catalog: proxy.url } },
    createLogger('gateway', stack.config),
  );
});

afterAll(async () => {
  await observedGateway?.close();
  await proxy?.close();
  await stack?.close();
});

describe('Product entity references through the gateway', () => {
  it(`resolves ${PRODUCTS} products of a cart with one catalog call, which is one SQL query`, async () => {
    const products = await stack.db.prisma.product.createManyAndReturn({
      data: Array.from({ length: PRODUCTS }, (_, index) => ({
        sku: `BATCH-${index}`,
        name: `Batch product ${index}`,
        description: 'For the batching test',
        priceAmount: 100 + index,
        currency: 'EUR',
      })),
      select: { id: true, sku: true, priceAmount: true },
    });
    // Single-variant products, as the variants migration leaves them (the variant has the product's id).
    await stack.db.prisma.productVariant.createMany({
      data: products.map(({ id, sku, priceAmount }) => ({
        id,
        productId: id,
        sku,
        priceAmount,
        onHand: 5,
      })),
    });
    const customer = await signUpUser(stack);
    for (const { id } of products) {
      const added = await graphql<{ addToCart: { userErrors: unknown[] } }>(
        stack.gatewayUrl,
        'mutation($id: ID!) { addToCart(productId: $id, quantity: 1) { userErrors { code } } }',
        { id },
        customer.accessToken,
      );
      expect(added.data?.addToCart.userErrors).toEqual([]);
    }

    proxy.bodies.length = 0;
    const cart = await graphql<{
      me: { cart: { items: { product: { name: string; stock: number } }[] } };
    }>(
      observedGateway.url,
      '{ me { cart { items { product { name stock price { amount } } } } } }',
      {},
      customer.accessToken,
    );

    expect(cart.errors).toBeUndefined();
    expect(cart.data?.me.cart.items).toHaveLength(PRODUCTS);
    expect(cart.data?.me.cart.items.every((item) => item.product.stock === 5)).toBe(true);
    // One `_entities` call carrying every reference; catalog-api.int.test.ts proves that such a
    // call costs one products query for 1, 10 or 100 references.
    expect(proxy.bodies).toHaveLength(1);
    expect(proxy.bodies[0]!.query).toContain('_entities');
    expect(proxy.bodies[0]!.variables?.representations).toHaveLength(PRODUCTS);
  });
});
