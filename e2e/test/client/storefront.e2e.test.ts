import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@microshop/e2e';
import { seedDemoCatalog } from '@microshop/catalog';
import {
  AddToCartDocument,
  CancelOrderDocument,
  CartDocument,
  CategoriesDocument,
  CreateGuestCartDocument,
  GraphQLRequestError,
  LogInDocument,
  MeDocument,
  MergeGuestCartDocument,
  MyOrdersDocument,
  OrderDocument,
  PlaceOrderDocument,
  ProductDocument,
  ProductsDocument,
  RemoveFromCartDocument,
  SearchProductsDocument,
  SignUpDocument,
  UpdateCartItemDocument,
  createClient,
  type Client,
} from '@microshop/client';

/** A storefront session through the gateway with every generated operation of the typed client. */

let stack: Stack;
let anonymous: Client;
let customer: Client;
const email = `shopper-${randomUUID()}@example.com`;
const password = `Pw-${randomUUID()}`;

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What is sold is a variant, chosen on the product page: the demo has a product in colours, and
 * the seeded products share one creation time, so which ones a listing shows first varies.
 */
async function variantOf(productId: string) {
  return (await anonymous.request(ProductDocument, { id: productId })).product!.variants.find(
    (variant) => variant.inStock,
  )!;
}

beforeAll(async () => {
  stack = await startStack();
  await seedDemoCatalog(stack.db.prisma);
  anonymous = createClient({ url: stack.gatewayUrl });
});

afterAll(async () => {
  await stack?.close();
});

describe('the typed client against the gateway', () => {
  it('runs by hash against automatic persisted queries: the first request registers it', async () => {
    const persisted = createClient({ url: stack.gatewayUrl, persisted: true });
    const first = await persisted.request(ProductsDocument, { first: 2 });
    expect(first.products.edges).toHaveLength(2);
    // Now known by hash alone: a plain hash-only request (no text to fall back on) is answered.
    const byHashOnly = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        variables: { first: 2 },
        extensions: {
          persistedQuery: {
            version: 1,
            sha256Hash: (ProductsDocument.__meta__?.hash as string).slice('sha256:'.length),
          },
        },
      }),
    });
    expect(await byHashOnly.json()).toEqual({ data: first });
  });

  it('signs up, logs in and reads the account', async () => {
    const signUp = await anonymous.request(SignUpDocument, {
      input: { email, password, name: 'Shopper' },
    });
    expect(signUp.signUp.userErrors).toEqual([]);
    expect(signUp.signUp.user?.email).toBe(email);

    const logIn = await anonymous.request(LogInDocument, { input: { email, password } });
    expect(logIn.logIn.userErrors).toEqual([]);
    const token = logIn.logIn.accessToken;
    expect(token).toEqual(expect.any(String));
    customer = createClient({ url: stack.gatewayUrl, token: token! });

    expect((await anonymous.request(MeDocument)).me).toBeNull();
    expect((await customer.request(MeDocument)).me).toMatchObject({
      email,
      name: 'Shopper',
      role: 'CUSTOMER',
    });
  });

  it('browses products, one product, categories and search with facets', async () => {
    const page = await anonymous.request(ProductsDocument, {
      first: 5,
      filter: { inStockOnly: true },
    });
    expect(page.products.edges).toHaveLength(5);
    expect(page.products.totalCount).toBeGreaterThanOrEqual(5);
    expect(page.products.pageInfo.hasNextPage).toBe(true);
    const next = await anonymous.request(ProductsDocument, {
      first: 5,
      after: page.products.pageInfo.endCursor,
    });
    expect(next.products.edges[0]?.node.id).not.toBe(page.products.edges[0]?.node.id);

    const first = page.products.edges[0]!.node;
    const { product } = await anonymous.request(ProductDocument, { id: first.id });
    expect(product).toMatchObject({ id: first.id, name: first.name, price: first.price });
    expect(product?.description).toEqual(expect.any(String));

    const { categories } = await anonymous.request(CategoriesDocument);
    expect(categories.map((category) => category.slug)).toContain(first.category?.slug);

    // The whole name: the first page's first product is any of the seeded ones (they share one
    // creation time), and its first word alone may be shared by more than ten of them.
    const search = await eventually(
      () => anonymous.request(SearchProductsDocument, { query: first.name, first: 10 }),
      (result) => result.searchProducts.edges.some((edge) => edge.node.id === first.id),
    );
    expect(search.searchProducts.edges.map((edge) => edge.node.id)).toContain(first.id);
    expect(search.searchProducts.facets.length).toBeGreaterThan(0);
  });

  it('fills, changes and reads the cart', async () => {
    const page = await anonymous.request(ProductsDocument, {
      first: 2,
      filter: { inStockOnly: true },
    });
    const [one, two] = page.products.edges.map((edge) => edge.node);
    const [first, second] = [await variantOf(one!.id), await variantOf(two!.id)];

    const added = await customer.request(AddToCartDocument, {
      productId: one!.id,
      variantId: first.id,
      quantity: 1,
    });
    expect(added.addToCart.userErrors).toEqual([]);
    await customer.request(AddToCartDocument, {
      productId: two!.id,
      variantId: second.id,
      quantity: 1,
    });
    const updated = await customer.request(UpdateCartItemDocument, {
      productId: one!.id,
      variantId: first.id,
      quantity: 2,
    });
    expect(updated.updateCartItem.cart?.totalQuantity).toBe(3);
    const removed = await customer.request(RemoveFromCartDocument, {
      productId: two!.id,
      variantId: second.id,
    });
    expect(removed.removeFromCart.cart?.items.map((item) => item.product.id)).toEqual([one!.id]);

    const { cart } = await customer.request(CartDocument);
    expect(cart.items).toEqual([
      expect.objectContaining({
        quantity: 2,
        product: expect.objectContaining({ id: one!.id }),
        variant: expect.objectContaining({ id: first.id, sku: first.sku }),
      }),
    ]);
    expect(cart.subtotal.amount).toBe(2 * first.price.amount);

    const refused = await anonymous.request(CartDocument).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).codes).toContain('UNAUTHENTICATED');
  });

  it('keeps a guest cart without an account and merges it into the account on sign-in', async () => {
    const page = await anonymous.request(ProductsDocument, {
      first: 2,
      filter: { inStockOnly: true },
    });
    const [one, two] = page.products.edges.map((edge) => edge.node);
    const [first, second] = [await variantOf(one!.id), await variantOf(two!.id)];
    const { cartToken } = (await anonymous.request(CreateGuestCartDocument)).createGuestCart;
    for (const [product, variant, quantity] of [
      [one!, first, 1],
      [two!, second, 2],
    ] as const) {
      const added = await anonymous.request(AddToCartDocument, {
        productId: product.id,
        variantId: variant.id,
        quantity,
        cartToken,
      });
      expect(added.addToCart.userErrors).toEqual([]);
    }
    const guest = await anonymous.request(CartDocument, { cartToken });
    expect(guest.cart.items.map((item) => [item.product.name, item.quantity])).toEqual([
      [one!.name, 1],
      [two!.name, 2],
    ]);

    const returning = `returning-${randomUUID()}@example.com`;
    await anonymous.request(SignUpDocument, {
      input: { email: returning, password, name: 'Returning' },
    });
    const logIn = await anonymous.request(LogInDocument, { input: { email: returning, password } });
    const account = createClient({ url: stack.gatewayUrl, token: logIn.logIn.accessToken! });
    await account.request(AddToCartDocument, {
      productId: one!.id,
      variantId: first.id,
      quantity: 1,
    });

    const merged = await account.request(MergeGuestCartDocument, { cartToken });
    expect(merged.mergeGuestCart.userErrors).toEqual([]);
    const { cart } = await account.request(CartDocument);
    expect(cart.items.map((item) => [item.product.id, item.quantity])).toEqual([
      [one!.id, 2],
      [two!.id, 2],
    ]);
    expect((await anonymous.request(CartDocument, { cartToken })).cart.items).toEqual([]);
  });

  it('places an order, follows it, lists it and cancels it', async () => {
    const placed = await customer.request(PlaceOrderDocument, {
      input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' },
    });
    expect(placed.placeOrder.userErrors).toEqual([]);
    const orderId = placed.placeOrder.order!.id;

    const confirmed = await eventually(
      () => customer.request(OrderDocument, { id: orderId }),
      (result) => result.order?.status === 'CONFIRMED',
    );
    expect(confirmed.order?.status).toBe('CONFIRMED');
    expect(confirmed.order?.payment?.status).toBe('AUTHORIZED');
    expect(confirmed.order?.statusHistory.map((change) => change.status)).toEqual([
      'PENDING',
      'CONFIRMED',
    ]);

    const mine = await customer.request(MyOrdersDocument, { first: 10 });
    expect(mine.me?.orders.edges.map((edge) => edge.node.id)).toContain(orderId);

    const cancelled = await customer.request(CancelOrderDocument, { id: orderId });
    expect(cancelled.cancelOrder.userErrors).toEqual([]);
    expect(cancelled.cancelOrder.order?.status).toBe('CANCELLED');
  });
});
