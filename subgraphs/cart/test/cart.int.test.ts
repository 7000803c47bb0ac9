import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type Principal, type TestAuthority } from '@microshop/auth';
import { createLogger, startSubgraphServer, type RunningServer } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  type TestDatabase,
} from '@microshop/testing';
import { createCartApp } from '../src/app.ts';
import { MAX_CART_LINES, type CartStore } from '../src/cart-store.ts';
import { PostgresCartStore } from '../src/cart-store.postgres.ts';
import { RedisCartStore } from '../src/cart-store.redis.ts';
import { createCatalogClient } from '../src/catalog-client.ts';
import { CatalogDouble } from './support/catalog-double.ts';
import { errorCodes, postGraphQL } from './support/graphql-client.ts';

const logger = createLogger('cart-test', { logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' });

const CART_FIELDS = /* GraphQL */ `
  id
  items { product { id } quantity lineTotal { amount currency } }
  totalQuantity
  subtotal { amount currency }
`;
const PAYLOAD = `cart { ${CART_FIELDS} } userErrors { field message code }`;
const ADD = `mutation($productId: ID!, $quantity: Int!) { addToCart(productId: $productId, quantity: $quantity) { ${PAYLOAD} } }`;
const UPDATE = `mutation($productId: ID!, $quantity: Int!) { updateCartItem(productId: $productId, quantity: $quantity) { ${PAYLOAD} } }`;
const REMOVE = `mutation($productId: ID!) { removeFromCart(productId: $productId) { ${PAYLOAD} } }`;
const CLEAR = `mutation { clearCart { ${PAYLOAD} } }`;
const CART = `{ cart { ${CART_FIELDS} } }`;
/** What the gateway sends the cart subgraph for `me { cart { ... } }`. */
const USER_CART = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id cart { ${CART_FIELDS} } } } }`;

interface CartData {
  id: string;
  items: {
    product: { id: string };
    quantity: number;
    lineTotal: { amount: number; currency: string };
  }[];
  totalQuantity: number;
  subtotal: { amount: number; currency: string };
}
interface Payload {
  cart: CartData | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

interface StoreHarness {
  store: CartStore;
  dispose(): Promise<void>;
}

async function redisStore(): Promise<StoreHarness> {
  const url = requireBackend('REDIS_URL');
  const namespace = testNamespace('cart');
  const store = new RedisCartStore({ url, namespace, logger });
  await store.init();
  return {
    store,
    async dispose() {
      await store.close();
      const redis = new Redis(url);
      const keys = await redis.keys(`${namespace}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

async function postgresStore(): Promise<StoreHarness> {
  const db: TestDatabase = await createTestDatabase();
  return { store: new PostgresCartStore(db.prisma), dispose: () => db.drop() };
}

describe.each([
  { backend: 'redis', createStore: redisStore },
  { backend: 'postgres', createStore: postgresStore },
])('cart subgraph over HTTP ($backend store)', ({ createStore }) => {
  let harness: StoreHarness;
  let authority: TestAuthority;
  let server: RunningServer;
  let catalog: CatalogDouble;

  beforeAll(async () => {
    [harness, authority] = await Promise.all([createStore(), createTestAuthority()]);
    catalog = new CatalogDouble(authority.verifier);
    await catalog.start();
    server = await startSubgraphServer(
      createCartApp({
        store: harness.store,
        // Generous: on a busy test machine 100 concurrent requests can wait long for the double.
        catalog: createCatalogClient({ url: catalog.url, timeoutMs: 15_000 }),
        verifier: authority.verifier,
        logger,
        showInternalErrors: false,
      }),
      { port: 0, host: '127.0.0.1' },
    );
  });
  afterAll(async () => {
    await server?.close();
    await catalog?.stop();
    await harness?.dispose();
  });

  async function signIn(role: Principal['role'] = 'CUSTOMER') {
    const userId = randomUUID();
    const token = await authority.tokenFor({ userId, role });
    const call = async <T = Record<string, Payload>>(
      query: string,
      variables?: Record<string, unknown>,
    ) => postGraphQL<T>(server.url, query, { token, variables });
    const mutate = async <T = Payload>(
      query: string,
      variables?: Record<string, unknown>,
    ): Promise<T> => {
      const result = await call<Record<string, T>>(query, variables);
      expect(result.errors).toBeUndefined();
      return Object.values(result.data ?? {})[0]!;
    };
    const cart = async (): Promise<CartData> => {
      const result = await call<{ cart: CartData }>(CART);
      expect(result.errors).toBeUndefined();
      return result.data!.cart;
    };
    return { userId, token, call, mutate, cart };
  }

  const lines = (cart: CartData | null) =>
    cart?.items.map((item) => [item.product.id, item.quantity]);

  it('refuses signed-out callers with UNAUTHENTICATED', async () => {
    const product = catalog.addProduct();
    const read = await postGraphQL(server.url, CART);
    expect(errorCodes(read)).toEqual(['UNAUTHENTICATED']);
    const add = await postGraphQL(server.url, ADD, {
      variables: { productId: product, quantity: 1 },
    });
    expect(errorCodes(add)).toEqual(['UNAUTHENTICATED']);
    expect(add.data).toBeNull();
  });

  it('adds, updates, removes and clears, pricing every line from the catalog', async () => {
    const shopper = await signIn();
    const mug = catalog.addProduct({ priceAmount: 1_250 });
    const tea = catalog.addProduct({ priceAmount: 399 });

    expect(lines(await shopper.cart())).toEqual([]);
    expect((await shopper.cart()).subtotal).toEqual({ amount: 0, currency: 'EUR' });

    let payload = await shopper.mutate(ADD, { productId: mug, quantity: 2 });
    expect(payload.userErrors).toEqual([]);
    payload = await shopper.mutate(ADD, { productId: tea, quantity: 3 });
    payload = await shopper.mutate(ADD, { productId: mug, quantity: 1 });
    expect(payload.cart).toEqual({
      id: shopper.userId,
      items: [
        { product: { id: mug }, quantity: 3, lineTotal: { amount: 3_750, currency: 'EUR' } },
        { product: { id: tea }, quantity: 3, lineTotal: { amount: 1_197, currency: 'EUR' } },
      ],
      totalQuantity: 6,
      subtotal: { amount: 4_947, currency: 'EUR' },
    });

    payload = await shopper.mutate(UPDATE, { productId: tea, quantity: 1 });
    expect(lines(payload.cart)).toEqual([
      [mug, 3],
      [tea, 1],
    ]);
    expect(payload.cart?.subtotal.amount).toBe(3 * 1_250 + 399);

    payload = await shopper.mutate(UPDATE, { productId: mug, quantity: 0 });
    expect(lines(payload.cart)).toEqual([[tea, 1]]);

    payload = await shopper.mutate(REMOVE, { productId: tea });
    expect(lines(payload.cart)).toEqual([]);

    await shopper.mutate(ADD, { productId: tea, quantity: 2 });
    await shopper.mutate(ADD, { productId: mug, quantity: 2 });
    payload = await shopper.mutate(CLEAR);
    expect(payload).toEqual({
      cart: {
        id: shopper.userId,
        items: [],
        totalQuantity: 0,
        subtotal: { amount: 0, currency: 'EUR' },
      },
      userErrors: [],
    });
    expect(lines(await shopper.cart())).toEqual([]);
  });

  it('holds one line per variant: a multi-variant product needs variantId, an unknown or foreign one is refused', async () => {
    const shopper = await signIn();
    const shirt = catalog.addProduct({ priceAmount: 2_000, stock: 5 });
    const large = catalog.addVariant(shirt, { priceAmount: 2_500, stock: 1 });
    const other = catalog.addProduct();
    const VARIANT_ADD = `mutation($productId: ID!, $variantId: ID, $quantity: Int!) { addToCart(productId: $productId, variantId: $variantId, quantity: $quantity) { cart { items { variant { id } quantity lineTotal { amount } } } userErrors { field code } } }`;
    type VariantPayload = {
      cart: {
        items: { variant: { id: string }; quantity: number; lineTotal: { amount: number } }[];
      };
      userErrors: { field: string[]; code: string }[];
    };
    const add = (variables: Record<string, unknown>) =>
      shopper.mutate<VariantPayload>(VARIANT_ADD, variables);

    for (const [variantId, code] of [
      [undefined, 'VARIANT_REQUIRED'],
      [other, 'VARIANT_NOT_FOUND'],
      [randomUUID(), 'VARIANT_NOT_FOUND'],
    ] as const) {
      const refused = await add({ productId: shirt, variantId, quantity: 1 });
      expect(refused.userErrors).toEqual([{ field: ['variantId'], code }]);
      expect(refused.cart.items).toEqual([]);
    }

    await add({ productId: shirt, variantId: shirt, quantity: 2 });
    const both = await add({ productId: shirt, variantId: large, quantity: 1 });
    expect(both.userErrors).toEqual([]);
    expect(both.cart.items).toEqual([
      { variant: { id: shirt }, quantity: 2, lineTotal: { amount: 4_000 } },
      { variant: { id: large }, quantity: 1, lineTotal: { amount: 2_500 } },
    ]);
    // The stock that limits a line is its variant's.
    expect((await add({ productId: shirt, variantId: large, quantity: 1 })).userErrors).toEqual([
      { field: ['quantity'], code: 'INSUFFICIENT_STOCK' },
    ]);

    const UPDATE_VARIANT = `mutation($productId: ID!, $variantId: ID, $quantity: Int!) { updateCartItem(productId: $productId, variantId: $variantId, quantity: $quantity) { userErrors { code } } }`;
    const REMOVE_VARIANT = `mutation($productId: ID!, $variantId: ID) { removeFromCart(productId: $productId, variantId: $variantId) { cart { items { variant { id } quantity } } userErrors { code } } }`;
    expect(
      (
        await shopper.mutate<{ userErrors: { code: string }[] }>(UPDATE_VARIANT, {
          productId: shirt,
          quantity: 3,
        })
      ).userErrors,
    ).toEqual([{ code: 'VARIANT_REQUIRED' }]);
    await shopper.mutate(UPDATE_VARIANT, { productId: shirt, variantId: shirt, quantity: 3 });
    const removed = await shopper.mutate<{
      cart: { items: { variant: { id: string }; quantity: number }[] };
      userErrors: unknown[];
    }>(REMOVE_VARIANT, { productId: shirt, variantId: large });
    expect(removed).toEqual({
      cart: { items: [{ variant: { id: shirt }, quantity: 3 }] },
      userErrors: [],
    });
  });

  it('fills a cart in one currency: another is refused MIXED_CURRENCIES, and a repriced line has no subtotal', async () => {
    const shopper = await signIn();
    const mug = catalog.addProduct({ priceAmount: 1_250 });
    const dollarTea = catalog.addProduct({ priceAmount: 399, currency: 'USD' });
    await shopper.mutate(ADD, { productId: mug, quantity: 1 });

    for (const mutation of [ADD, UPDATE]) {
      const refused = await shopper.mutate(mutation, { productId: dollarTea, quantity: 1 });
      expect(refused.userErrors).toEqual([
        {
          code: 'MIXED_CURRENCIES',
          field: ['productId'],
          message: 'This cart holds products priced in EUR; this product is priced in USD.',
        },
      ]);
      expect(lines(refused.cart)).toEqual([[mug, 1]]);
    }
    // Changing the quantity of the cart's own product is not a currency change.
    expect((await shopper.mutate(ADD, { productId: mug, quantity: 1 })).userErrors).toEqual([]);

    // Repriced in another currency after it was added: the cart reads, but has no subtotal.
    const tea = catalog.addProduct({ priceAmount: 399 });
    await shopper.mutate(ADD, { productId: tea, quantity: 1 });
    catalog.update(tea, { currency: 'USD' });
    const read = await shopper.call<{ cart: CartData | null }>(CART);
    expect(errorCodes(read)).toEqual(['MIXED_CURRENCIES']);
    expect(read.errors?.[0]?.path).toEqual(['cart', 'subtotal']);
    const items = await shopper.call<{ cart: { items: CartData['items'] } }>(
      `{ cart { items { product { id } quantity lineTotal { amount currency } } } }`,
    );
    expect(items.errors).toBeUndefined();
    expect(items.data?.cart.items.map((item) => item.lineTotal.currency)).toEqual(['EUR', 'USD']);
    const removed = await shopper.mutate(REMOVE, { productId: tea });
    expect(removed.cart?.subtotal).toEqual({ amount: 2_500, currency: 'EUR' });
  });

  describe('guest carts', () => {
    const GUEST_PAYLOAD = `cart { ${CART_FIELDS} } userErrors { field message code }`;
    const CREATE = `mutation { createGuestCart { cartToken cart { ${CART_FIELDS} } } }`;
    const GUEST_ADD = `mutation($productId: ID!, $quantity: Int!, $cartToken: String) { addToCart(productId: $productId, quantity: $quantity, cartToken: $cartToken) { ${GUEST_PAYLOAD} } }`;
    const GUEST_CART = `query($cartToken: String) { cart(cartToken: $cartToken) { ${CART_FIELDS} } }`;
    const MERGE = `mutation($cartToken: String!) { mergeGuestCart(cartToken: $cartToken) { ${GUEST_PAYLOAD} } }`;

    async function createGuestCart(): Promise<string> {
      const created = await postGraphQL<{ createGuestCart: { cartToken: string; cart: CartData } }>(
        server.url,
        CREATE,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data?.createGuestCart.cart.items).toEqual([]);
      return created.data!.createGuestCart.cartToken;
    }
    const guestAdd = async (cartToken: string, productId: string, quantity: number) => {
      const result = await postGraphQL<{ addToCart: Payload }>(server.url, GUEST_ADD, {
        variables: { productId, quantity, cartToken },
      });
      expect(result.errors).toBeUndefined();
      return result.data!.addToCart;
    };
    const guestCart = async (cartToken: string) => {
      const result = await postGraphQL<{ cart: CartData }>(server.url, GUEST_CART, {
        variables: { cartToken },
      });
      expect(result.errors).toBeUndefined();
      return result.data!.cart;
    };

    it("keeps a guest line per variant and merges it into the same variant, capped by that variant's stock", async () => {
      const cartToken = await createGuestCart();
      const shirt = catalog.addProduct({ priceAmount: 2_000, stock: 10 });
      const large = catalog.addVariant(shirt, { priceAmount: 2_500, stock: 2 });
      const VARIANT_ADD = `mutation($productId: ID!, $variantId: ID, $quantity: Int!, $cartToken: String) {
        addToCart(productId: $productId, variantId: $variantId, quantity: $quantity, cartToken: $cartToken) { userErrors { code } } }`;
      const add = async (variables: Record<string, unknown>, token?: string) =>
        (
          await postGraphQL<{ addToCart: { userErrors: { code: string }[] } }>(
            server.url,
            VARIANT_ADD,
            { variables, ...(token ? { token } : {}) },
          )
        ).data!.addToCart.userErrors;
      expect(await add({ productId: shirt, quantity: 1, cartToken })).toEqual([
        { code: 'VARIANT_REQUIRED' },
      ]);
      expect(await add({ productId: shirt, variantId: large, quantity: 2, cartToken })).toEqual([]);
      const shopper = await signIn();
      expect(await add({ productId: shirt, variantId: large, quantity: 1 }, shopper.token)).toEqual(
        [],
      );
      expect(await add({ productId: shirt, variantId: shirt, quantity: 1 }, shopper.token)).toEqual(
        [],
      );
      const merged = await shopper.mutate(MERGE, { cartToken });
      // The large variant had 1 in the cart and 2 available: 1 of the guest's 2 units joined.
      expect(merged.userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_STOCK']);
      const VARIANT_LINES = '{ cart { items { variant { id } quantity } } }';
      const cart = await postGraphQL<{
        cart: { items: { variant: { id: string }; quantity: number }[] };
      }>(server.url, VARIANT_LINES, { token: shopper.token });
      expect(cart.data?.cart.items).toEqual([
        { variant: { id: large }, quantity: 2 },
        { variant: { id: shirt }, quantity: 1 },
      ]);
    });

    it('serves a cart without an account to whoever holds its token, and to nobody else', async () => {
      const cartToken = await createGuestCart();
      expect(cartToken).toMatch(/^gc_[A-Za-z0-9_-]{32}$/);
      const mug = catalog.addProduct({ priceAmount: 1_250, stock: 3 });
      expect((await guestAdd(cartToken, mug, 2)).userErrors).toEqual([]);
      const refused = await guestAdd(cartToken, mug, 2);
      expect(refused.userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_STOCK']);
      const cart = await guestCart(cartToken);
      expect(lines(cart)).toEqual([[mug, 2]]);
      expect(cart.subtotal).toEqual({ amount: 2_500, currency: 'EUR' });
      expect(cart.id).not.toContain(cartToken.slice(3));

      expect(lines(await guestCart(await createGuestCart()))).toEqual([]);
      const shopper = await signIn();
      expect(lines(await shopper.cart())).toEqual([]); // a token never reaches the caller's own cart

      for (const bad of ['', 'gc_short', `xx_${cartToken.slice(3)}`]) {
        const read = await postGraphQL(server.url, GUEST_CART, { variables: { cartToken: bad } });
        expect(errorCodes(read)).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('merges into the signed-in cart: quantities added, capped by stock, a userError per line that could not join whole', async () => {
      const shopper = await signIn();
      const mug = catalog.addProduct({ priceAmount: 1_250, stock: 4 });
      const tea = catalog.addProduct({ priceAmount: 399 });
      const gone = catalog.addProduct();
      const dollarCup = catalog.addProduct({ currency: 'USD' });
      await shopper.mutate(ADD, { productId: mug, quantity: 1 });

      const cartToken = await createGuestCart();
      await guestAdd(cartToken, mug, 4);
      await guestAdd(cartToken, tea, 2);
      await guestAdd(cartToken, gone, 1);
      const other = await createGuestCart();
      await guestAdd(other, dollarCup, 1);
      catalog.update(gone, { active: false });

      const merged = await shopper.mutate(MERGE, { cartToken });
      expect(merged.userErrors).toEqual([
        {
          code: 'PRODUCT_NOT_FOUND',
          field: ['cartToken'],
          // The double's products have one variant each, with the product's id.
          message: `Variant ${gone} of the guest cart is no longer for sale; its line was not merged.`,
        },
        {
          code: 'INSUFFICIENT_STOCK',
          field: ['cartToken'],
          message: `3 of the guest cart's 4 units of variant ${mug} joined your cart: not enough units are available.`,
        },
      ]);
      expect(lines(merged.cart)).toEqual([
        [mug, 4],
        [tea, 2],
      ]);
      expect(lines(await shopper.cart())).toEqual([
        [mug, 4],
        [tea, 2],
      ]);
      expect(lines(await guestCart(cartToken))).toEqual([]);
      // Merging the same token again finds nothing to add.
      const again = await shopper.mutate(MERGE, { cartToken });
      expect(again.userErrors).toEqual([]);
      expect(lines(again.cart)).toEqual([
        [mug, 4],
        [tea, 2],
      ]);

      const mixed = await shopper.mutate(MERGE, { cartToken: other });
      expect(mixed.userErrors.map((error) => error.code)).toEqual(['MIXED_CURRENCIES']);
      expect(lines(mixed.cart)).toEqual([
        [mug, 4],
        [tea, 2],
      ]);
    });

    it('merges only for a signed-in caller', async () => {
      const cartToken = await createGuestCart();
      const result = await postGraphQL(server.url, MERGE, { variables: { cartToken } });
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    });
  });

  it('contributes User.cart to the user entity, for its owner or an ADMIN only', async () => {
    const shopper = await signIn();
    const product = catalog.addProduct({ priceAmount: 500 });
    await shopper.mutate(ADD, { productId: product, quantity: 2 });
    const representations = [{ __typename: 'User', id: shopper.userId }];

    const own = await shopper.call<{ _entities: { id: string; cart: CartData }[] }>(USER_CART, {
      representations,
    });
    expect(own.errors).toBeUndefined();
    expect(own.data?._entities[0]?.cart.subtotal).toEqual({ amount: 1_000, currency: 'EUR' });

    const admin = await signIn('ADMIN');
    const asAdmin = await admin.call<{ _entities: { cart: CartData }[] }>(USER_CART, {
      representations,
    });
    expect(lines(asAdmin.data?._entities[0]?.cart ?? null)).toEqual([[product, 2]]);

    const stranger = await signIn();
    expect(errorCodes(await stranger.call(USER_CART, { representations }))).toEqual(['FORBIDDEN']);
  });

  it('refuses bad quantities with INVALID_QUANTITY and changes nothing', async () => {
    const shopper = await signIn();
    const product = catalog.addProduct({ stock: 500 });
    await shopper.mutate(ADD, { productId: product, quantity: 98 });
    for (const [mutation, quantity] of [
      [ADD, 0],
      [ADD, -1],
      [ADD, 100],
      [ADD, 2], // 98 + 2 > 99
      [UPDATE, -1],
      [UPDATE, 100],
    ] as const) {
      const payload = await shopper.mutate(mutation, { productId: product, quantity });
      expect(payload.userErrors.map((error) => [error.code, error.field])).toEqual([
        ['INVALID_QUANTITY', ['quantity']],
      ]);
      expect(lines(payload.cart)).toEqual([[product, 98]]);
    }
  });

  it('refuses unknown, malformed and inactive products with PRODUCT_NOT_FOUND', async () => {
    const shopper = await signIn();
    const inactive = catalog.addProduct({ active: false });
    for (const productId of [randomUUID(), 'not-a-product-id', inactive]) {
      const payload = await shopper.mutate(ADD, { productId, quantity: 1 });
      expect(payload.userErrors.map((error) => [error.code, error.field])).toEqual([
        ['PRODUCT_NOT_FOUND', ['productId']],
      ]);
      expect(lines(payload.cart)).toEqual([]);
    }
  });

  it('refuses more than the available stock with INSUFFICIENT_STOCK', async () => {
    const shopper = await signIn();
    const scarce = catalog.addProduct({ stock: 3 });
    expect(
      (await shopper.mutate(ADD, { productId: scarce, quantity: 4 })).userErrors[0]?.code,
    ).toBe('INSUFFICIENT_STOCK');
    expect((await shopper.mutate(ADD, { productId: scarce, quantity: 2 })).userErrors).toEqual([]);
    const refused = await shopper.mutate(ADD, { productId: scarce, quantity: 2 });
    expect(refused.userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_STOCK']);
    expect(refused.userErrors[0]?.message).toContain('Only 3 units');
    expect((await shopper.mutate(UPDATE, { productId: scarce, quantity: 3 })).userErrors).toEqual(
      [],
    );
    const soldOut = catalog.addProduct({ stock: 0 });
    expect(
      (await shopper.mutate(ADD, { productId: soldOut, quantity: 1 })).userErrors[0]?.code,
    ).toBe('INSUFFICIENT_STOCK');
    expect(lines(await shopper.cart())).toEqual([[scarce, 3]]);
  });

  it(`refuses a ${MAX_CART_LINES + 1}st product with CART_FULL`, async () => {
    const shopper = await signIn();
    // Filling the cart goes straight to the store (100 HTTP round trips would only slow the test down).
    for (let line = 0; line < MAX_CART_LINES; line += 1) {
      const productId = catalog.addProduct();
      // The double's products have one variant each, with the product's id.
      await harness.store.changeLine(shopper.userId, {
        variantId: productId,
        quantity: 1,
        mode: 'add',
        available: 50,
      });
    }
    const payload = await shopper.mutate(ADD, { productId: catalog.addProduct(), quantity: 1 });
    expect(payload.userErrors.map((error) => [error.code, error.field])).toEqual([
      ['CART_FULL', ['productId']],
    ]);
    expect(payload.cart?.items).toHaveLength(MAX_CART_LINES);
  });

  it('100 concurrent addToCart(+1) end at 99 units, the 100th refused: nothing lost or doubled', async () => {
    const shopper = await signIn();
    const product = catalog.addProduct({ stock: 500 });
    const payloads = await Promise.all(
      Array.from({ length: 100 }, () => shopper.mutate(ADD, { productId: product, quantity: 1 })),
    );
    const codes = payloads.map((payload) => payload.userErrors[0]?.code ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(99);
    expect(codes.filter((code) => code === 'INVALID_QUANTITY')).toHaveLength(1);
    expect(lines(await shopper.cart())).toEqual([[product, 99]]);
  });

  it("shows a price change in an existing cart's totals at once", async () => {
    const shopper = await signIn();
    const product = catalog.addProduct({ priceAmount: 1_000 });
    await shopper.mutate(ADD, { productId: product, quantity: 3 });
    expect((await shopper.cart()).subtotal.amount).toBe(3_000);
    catalog.update(product, { priceAmount: 1_500 });
    const cart = await shopper.cart();
    expect(cart.subtotal.amount).toBe(4_500);
    expect(cart.items[0]?.lineTotal.amount).toBe(4_500);
  });

  it('leaves out lines of products the catalog stopped selling', async () => {
    const shopper = await signIn();
    const [kept, withdrawn] = [
      catalog.addProduct({ priceAmount: 100 }),
      catalog.addProduct({ priceAmount: 900 }),
    ];
    await shopper.mutate(ADD, { productId: kept, quantity: 1 });
    await shopper.mutate(ADD, { productId: withdrawn, quantity: 1 });
    catalog.update(withdrawn, { active: false });
    const cart = await shopper.cart();
    expect(lines(cart)).toEqual([[kept, 1]]);
    expect([cart.totalQuantity, cart.subtotal.amount]).toEqual([1, 100]);
    catalog.update(withdrawn, { active: true });
    expect(lines(await shopper.cart())).toEqual([
      [kept, 1],
      [withdrawn, 1],
    ]);
  });

  it("asks the catalog once per request, with the caller's Authorization and request id", async () => {
    const shopper = await signIn();
    const products = [catalog.addProduct(), catalog.addProduct(), catalog.addProduct()];
    for (const productId of products) await shopper.mutate(ADD, { productId, quantity: 1 });
    const before = catalog.requests.length;
    const requestId = `cart-test-${randomUUID()}`;
    const result = await postGraphQL<{ cart: CartData }>(server.url, CART, {
      token: shopper.token,
      requestId,
    });
    expect(result.data?.cart.items).toHaveLength(3);
    const calls = catalog.requests.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ authorization: `Bearer ${shopper.token}`, requestId });
  });

  it('takes a catalog error for an outage, never for an unknown product', async () => {
    const shopper = await signIn();
    const product = catalog.addProduct();
    catalog.failing = true;
    try {
      expect(errorCodes(await shopper.call(ADD, { productId: product, quantity: 1 }))).toEqual([
        'SERVICE_UNAVAILABLE',
      ]);
    } finally {
      catalog.failing = false;
    }
    expect((await shopper.mutate(ADD, { productId: product, quantity: 1 })).userErrors).toEqual([]);
  });

  it('answers SERVICE_UNAVAILABLE while the catalog is down, and recovers when it is back', async () => {
    const shopper = await signIn();
    const product = catalog.addProduct();
    await shopper.mutate(ADD, { productId: product, quantity: 1 });
    await catalog.stop();
    try {
      const add = await shopper.call(ADD, { productId: product, quantity: 1 });
      expect(errorCodes(add)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(add.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch/);
      expect(errorCodes(await shopper.call(CART))).toEqual(['SERVICE_UNAVAILABLE']);
      // Removing a named variant's line needs no catalog (as long as no price is asked for).
      const remove = `mutation($productId: ID!, $variantId: ID) { removeFromCart(productId: $productId, variantId: $variantId) { cart { id } userErrors { code } } }`;
      const removed = await shopper.call(remove, {
        productId: randomUUID(),
        variantId: randomUUID(),
      });
      expect(removed.errors).toBeUndefined();
      expect(removed.data).toEqual({
        removeFromCart: { cart: { id: shopper.userId }, userErrors: [] },
      });
    } finally {
      await catalog.start();
    }
    expect(lines(await shopper.cart())).toEqual([[product, 1]]);
  });
});
