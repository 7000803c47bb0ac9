import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  graphql,
  graphqlWithHeaders,
  placeOrder,
  signUpUser,
  waitForOrderStatus,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The gateway's response cache (on by default) under every kind of catalog write: an anonymous
 * product page or listing is answered from the gateway's memory until the catalog changes, and
 * the very next request after a change, whoever made it, shows the change.
 */

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

let stack: Stack;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack();
  ({ accessToken: adminToken } = await signInAdmin(stack));
  // A document's first execution teaches the gateway its plan, and is not cached itself.
  for (const query of [PRODUCT_PAGE, LISTING])
    expect((await graphql(stack.gatewayUrl, query, { id: UNKNOWN_ID })).errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const LISTING =
  'query CachedListing { products(first: 5, sortKey: CREATED_AT, reverse: true) { edges { node { id } } } }';
const PRODUCT_PAGE = `query CachedProductPage($id: ID!) {
  product(id: $id) { id name price { amount } stock images { url } }
}`;

interface Page {
  id: string;
  name: string;
  price: { amount: number };
  stock: number;
  images: { url: string }[];
}

/** The anonymous product page and how the cache answered it. */
async function productPage(id: string): Promise<{ product: Page; cache: string | null }> {
  const response = await graphqlWithHeaders<{ product: Page }>(stack.gatewayUrl, PRODUCT_PAGE, {
    id,
  });
  expect(response.errors).toBeUndefined();
  return { product: response.data!.product, cache: response.headers.get('x-response-cache') };
}

/** Reads the page twice: the second read must come from the cache, and agree with the first. */
async function cachedPage(id: string): Promise<Page> {
  const first = await productPage(id);
  const second = await productPage(id);
  expect(second).toEqual({ product: first.product, cache: 'hit' });
  return first.product;
}

async function adminMutation(query: string, variables: Record<string, unknown>) {
  const response = await graphql<Record<string, { userErrors: unknown[] }>>(
    stack.gatewayUrl,
    query,
    variables,
    adminToken,
  );
  expect(response.errors).toBeUndefined();
  expect(Object.values(response.data!)[0]!.userErrors).toEqual([]);
}

describe('response cache of anonymous catalog reads, through the gateway', () => {
  it('answers a repeated product page from the cache, and the first read after any write afresh', async () => {
    const id = await createProduct(stack, adminToken, { priceAmount: 2_000, initialStock: 10 });
    expect(await cachedPage(id)).toMatchObject({ price: { amount: 2_000 }, stock: 10 });

    // A price change through the API.
    await adminMutation(
      'mutation ($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code } } }',
      { id, input: { priceAmount: 2_500 } },
    );
    expect(await productPage(id)).toMatchObject({
      product: { price: { amount: 2_500 } },
      cache: 'miss',
    });
    expect(await cachedPage(id)).toMatchObject({ price: { amount: 2_500 }, stock: 10 });

    // A stock change by the order saga (the catalog's Kafka consumer reserves it).
    const shopper = await signUpUser(stack);
    await addToCart(stack, shopper.accessToken, id, 3);
    const orderId = await placeOrder(stack, shopper.accessToken);
    await waitForOrderStatus(stack, orderId, shopper.accessToken, 'CONFIRMED');
    expect((await productPage(id)).product.stock).toBe(7);
    expect(await cachedPage(id)).toMatchObject({ stock: 7 });

    // An image added.
    await adminMutation(
      'mutation ($id: ID!, $input: AddProductImageInput!) { addProductImage(productId: $id, input: $input) { userErrors { code } } }',
      { id, input: { url: 'https://images.example.com/cached.jpg', altText: 'Cached' } },
    );
    expect((await productPage(id)).product.images).toEqual([
      { url: 'https://images.example.com/cached.jpg' },
    ]);

    const metrics = await (await fetch(new URL('/metrics', stack.gatewayUrl))).text();
    expect(metrics).toMatch(/^gateway_response_cache_total\{outcome="hit"\} [1-9]/m);
    expect(metrics).toMatch(/^gateway_response_cache_total\{outcome="miss"\} [1-9]/m);

    // A write no service made (an operator's SQL): the database's triggers still count it.
    expect(await cachedPage(id)).toMatchObject({ name: expect.any(String) });
    await stack.db.prisma
      .$executeRaw`UPDATE products SET name = 'Renamed by SQL' WHERE id = ${id}::uuid`;
    expect((await productPage(id)).product.name).toBe('Renamed by SQL');
  });

  it('shows a new product in the next listing page', async () => {
    const listing = async () => {
      const response = await graphqlWithHeaders<{
        products: { edges: { node: { id: string } }[] };
      }>(stack.gatewayUrl, LISTING);
      expect(response.errors).toBeUndefined();
      return {
        ids: response.data!.products.edges.map((edge) => edge.node.id),
        cache: response.headers.get('x-response-cache'),
      };
    };
    const before = await listing();
    expect(await listing()).toEqual({ ids: before.ids, cache: 'hit' });
    const id = await createProduct(stack, adminToken);
    const after = await listing();
    expect(after.cache).toBe('miss');
    expect(after.ids).toContain(id);
  });

  it('never answers signed-in callers, searches or mutations from the cache', async () => {
    const id = await createProduct(stack, adminToken);
    const shopper = await signUpUser(stack);
    for (let read = 0; read < 2; read += 1) {
      const signedIn = await graphqlWithHeaders(
        stack.gatewayUrl,
        PRODUCT_PAGE,
        { id },
        shopper.accessToken,
      );
      expect(signedIn.errors).toBeUndefined();
      expect(signedIn.headers.get('x-response-cache')).toBeNull();
      const search = await graphqlWithHeaders(
        stack.gatewayUrl,
        'query CachedSearch($q: String!) { searchProducts(query: $q, first: 5) { totalCount } }',
        { q: 'anything' },
      );
      expect(search.errors).toBeUndefined();
      expect(search.headers.get('x-response-cache')).toBeNull();
    }
  });
});
