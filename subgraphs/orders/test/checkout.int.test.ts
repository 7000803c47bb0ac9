import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type Principal, type TestAuthority } from '@microshop/auth';
import { loadConfig } from '@microshop/config';
import { createLogger, startSubgraphServer, type RunningServer } from '@microshop/runtime';
import {
  createTestDatabase,
  errorCodes,
  graphql,
  startJsonServer,
  type RunningHttp,
  type TestDatabase,
} from '@microshop/testing';
import { createOrdersApp } from '../src/app.ts';
import { createShopUpstream } from '../src/upstream.ts';

/**
 * Checkout's rules through the orders subgraph on a real PostgreSQL: addresses, shipping methods,
 * tax, discount codes and the totals placeOrder stores. Cart, catalog and users (the address
 * book) are stand-ins answering per caller token; their own tests cover them.
 */

const CHECKOUT_ENV = {
  SHIPPING_METHODS: JSON.stringify([
    { code: 'standard', name: 'Standard', currency: 'EUR', price: 495, freeOver: 5000 },
    { code: 'express', name: 'Express', currency: 'EUR', price: 1495, countries: ['DE'] },
  ]),
  TAX_RATES: 'DE=19,FR=20',
};

const MUG = { id: randomUUID(), name: 'Mug', price: { amount: 1250, currency: 'EUR' } };
const LAMP = { id: randomUUID(), name: 'Lamp', price: { amount: 6000, currency: 'EUR' } };
const BERLIN = {
  name: 'Ada Lovelace',
  line1: 'Unter den Linden 1',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
};
const PARIS = {
  name: 'Ada Lovelace',
  line1: '1 Rue de Rivoli',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
};
const BOOK_ADDRESS_ID = randomUUID();

const TOTALS =
  'subtotal { amount } discount { amount } shipping { amount } tax { amount } total { amount currency }';
const ADDRESS = 'name line1 line2 city region postalCode country phone';
const PLACE_ORDER = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id ${TOTALS} taxRatePercent pricesIncludeTax discountCode
      shippingAddress { ${ADDRESS} } billingAddress { ${ADDRESS} } shippingMethod { code name } }
    userErrors { code field }
  }
}`;
const PREVIEW = `query Preview($input: CheckoutInput) {
  checkoutPreview(input: $input) {
    preview { ${TOTALS} taxRatePercent pricesIncludeTax discountCode
      shippingMethod { code price { amount } }
      availableShippingMethods { code price { amount } freeOver { amount } } }
    userErrors { code field }
  }
}`;
const CREATE_CODE = `mutation Create($input: CreateDiscountCodeInput!) {
  createDiscountCode(input: $input) { discountCode { id code timesUsed active } userErrors { code field } }
}`;
const DEACTIVATE = `mutation Off($code: String!) {
  deactivateDiscountCode(code: $code) { discountCode { code active } userErrors { code } }
}`;
const CANCEL = `mutation Cancel($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code } } }`;

interface Totals {
  subtotal: { amount: number };
  discount: { amount: number };
  shipping: { amount: number };
  tax: { amount: number };
  total: { amount: number; currency: string };
}
interface PlacedOrder extends Totals {
  id: string;
  taxRatePercent: number;
  discountCode: string | null;
  shippingAddress: Record<string, unknown> | null;
  billingAddress: Record<string, unknown> | null;
  shippingMethod: { code: string; name: string } | null;
}
interface UserErrorView {
  code: string;
  field: string[] | null;
}
interface PlacePayload {
  placeOrder: { order: PlacedOrder | null; userErrors: UserErrorView[] };
}
interface PreviewPayload {
  checkoutPreview: {
    preview:
      | (Totals & {
          taxRatePercent: number;
          pricesIncludeTax: boolean;
          shippingMethod: { code: string; price: { amount: number } } | null;
          availableShippingMethods: {
            code: string;
            price: { amount: number };
            freeOver: { amount: number } | null;
          }[];
        })
      | null;
    userErrors: UserErrorView[];
  };
}

let db: TestDatabase;
let authority: TestAuthority;
let server: RunningServer;
let taxIncludedServer: RunningServer;
const stubs: RunningHttp[] = [];
const carts = new Map<string, { productId: string; quantity: number }[]>();
const tokens = new Map<string, Principal>();
const admin: Principal = { userId: randomUUID(), role: 'ADMIN' };
let adminToken: string;

/** A customer of their own per test, with `quantity` mugs (or lamps) in the cart. */
async function customer(
  items: { product: { id: string }; quantity: number }[] = [{ product: MUG, quantity: 1 }],
) {
  const principal: Principal = { userId: randomUUID(), role: 'CUSTOMER' };
  const token = await authority.tokenFor(principal);
  tokens.set(token, principal);
  carts.set(
    principal.userId,
    items.map((item) => ({ productId: item.product.id, quantity: item.quantity })),
  );
  return { principal, token };
}

function callerOf(authorization: string | undefined): Principal | undefined {
  return tokens.get((authorization ?? '').replace(/^Bearer /, ''));
}

const UNAUTHENTICATED = {
  errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }],
};

async function place(token: string, input: Record<string, unknown>, url = server.url) {
  const result = await graphql<PlacePayload>(
    url,
    PLACE_ORDER,
    { input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa', ...input } },
    token,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.placeOrder;
}

async function preview(token: string, input: Record<string, unknown>, url = server.url) {
  const result = await graphql<PreviewPayload>(url, PREVIEW, { input }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.checkoutPreview;
}

async function createCode(input: Record<string, unknown>) {
  const result = await graphql<{
    createDiscountCode: { discountCode: { code: string } | null; userErrors: UserErrorView[] };
  }>(
    server.url,
    CREATE_CODE,
    { input: { kind: 'PERCENTAGE', value: 10, currency: 'EUR', ...input } },
    adminToken,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createDiscountCode;
}

const codes = (payload: { userErrors: UserErrorView[] }) =>
  payload.userErrors.map((error) => error.code);
const shipTo = (address: Record<string, unknown>) => ({ address });

async function ordersOf(userId: string) {
  return db.prisma.order.count({ where: { userId } });
}

async function codeRow(code: string) {
  return db.prisma.discountCode.findUniqueOrThrow({ where: { code } });
}

beforeAll(async () => {
  db = await createTestDatabase();
  authority = await createTestAuthority();
  adminToken = await authority.tokenFor(admin);
  tokens.set(adminToken, admin);

  const cart = await startJsonServer((_body, req) => {
    const caller = callerOf(req.headers.authorization);
    if (!caller) return UNAUTHENTICATED;
    const items = carts.get(caller.userId) ?? [];
    return {
      data: {
        cart: {
          // Single-variant products: the variant has the product's id.
          items: items.map((item) => ({
            product: { id: item.productId },
            variant: { id: item.productId },
            quantity: item.quantity,
          })),
        },
      },
    };
  });
  const catalog = await startJsonServer((body) => {
    const representations = (body?.variables?.representations ?? []) as { id: string }[];
    return {
      data: {
        _entities: representations.map((rep) => {
          const product = [MUG, LAMP].find((p) => p.id === rep.id);
          return product
            ? {
                id: product.id,
                sku: product.name.toUpperCase(),
                title: 'Default',
                selectedOptions: [],
                price: product.price,
                product: { id: product.id, name: product.name },
              }
            : null;
        }),
      },
    };
  });
  // Every customer's address book holds one address in Paris.
  const users = await startJsonServer((_body, req) =>
    callerOf(req.headers.authorization)
      ? {
          data: {
            me: {
              addresses: [
                { id: BOOK_ADDRESS_ID, ...PARIS, line2: null, region: null, phone: null },
              ],
            },
          },
        }
      : UNAUTHENTICATED,
  );
  stubs.push(cart, catalog, users);

  const serve = (env: Record<string, string>) =>
    startSubgraphServer(
      createOrdersApp({
        db: db.prisma,
        verifier: authority.verifier,
        logger: createLogger('checkout-test', { logLevel: 'silent' }),
        upstream: createShopUpstream({ cart: cart.url, catalog: catalog.url, users: users.url }),
        checkout: loadConfig(env).checkout,
        showInternalErrors: true,
      }),
      { port: 0, host: '127.0.0.1' },
    );
  server = await serve(CHECKOUT_ENV);
  taxIncludedServer = await serve({ ...CHECKOUT_ENV, PRICES_INCLUDE_TAX: 'true' });
});

afterAll(async () => {
  await server?.close();
  await taxIncludedServer?.close();
  for (const stub of stubs) await stub.close();
  await db?.drop();
});

describe('shipping methods', () => {
  it('lists the methods for a destination and currency, free from the threshold on', async () => {
    const query = `query Methods($country: String!, $subtotal: MoneyInput!) {
      shippingMethods(country: $country, subtotal: $subtotal) { code price { amount currency } freeOver { amount } }
    }`;
    const methods = async (country: string, amount: number, currency = 'EUR') =>
      (
        await graphql<{ shippingMethods: { code: string; price: { amount: number } }[] }>(
          server.url,
          query,
          { country, subtotal: { amount, currency } },
        )
      ).data?.shippingMethods.map((m) => [m.code, m.price.amount]);
    expect(await methods('de', 4999)).toEqual([
      ['standard', 495],
      ['express', 1495],
    ]);
    expect(await methods('DE', 5000)).toEqual([
      ['standard', 0],
      ['express', 1495],
    ]);
    expect(await methods('FR', 100)).toEqual([['standard', 495]]);
    expect(await methods('DE', 100, 'USD')).toEqual([]);
    const unknown = await graphql(server.url, query, {
      country: 'XX',
      subtotal: { amount: 1, currency: 'EUR' },
    });
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('checkoutPreview', () => {
  it('prices the cart for the destination: shipping, then tax on goods and shipping, rounded half up', async () => {
    const { token } = await customer();
    const { preview: priced, userErrors } = await preview(token, {
      shippingAddress: shipTo(BERLIN),
      shippingMethodCode: 'standard',
    });
    expect(userErrors).toEqual([]);
    // (1250 + 495) x 19 % = 331.55 -> 332.
    expect(priced).toMatchObject({
      subtotal: { amount: 1250 },
      discount: { amount: 0 },
      shipping: { amount: 495 },
      tax: { amount: 332 },
      total: { amount: 2077, currency: 'EUR' },
      taxRatePercent: 19,
      pricesIncludeTax: false,
      shippingMethod: { code: 'standard', price: { amount: 495 } },
    });
    expect(priced?.availableShippingMethods.map((method) => method.code)).toEqual([
      'standard',
      'express',
    ]);
  });

  it('takes the tax out of the prices when they include it', async () => {
    const { token } = await customer();
    const { preview: priced } = await preview(
      token,
      { shippingAddress: shipTo(PARIS), shippingMethodCode: 'standard' },
      taxIncludedServer.url,
    );
    // 1745 gross at 20 %: net 1454.17 -> 1454, tax 291; the total is what the prices say.
    expect(priced).toMatchObject({
      subtotal: { amount: 1250 },
      shipping: { amount: 495 },
      tax: { amount: 291 },
      total: { amount: 1745 },
      pricesIncludeTax: true,
      taxRatePercent: 20,
    });
  });

  it('ships for free over the threshold and lists methods before one is chosen', async () => {
    const { token } = await customer([{ product: LAMP, quantity: 1 }]);
    const { preview: priced } = await preview(token, { shippingAddress: shipTo(BERLIN) });
    expect(priced?.shippingMethod).toBeNull();
    expect(priced?.availableShippingMethods).toEqual([
      { code: 'standard', price: { amount: 0 }, freeOver: { amount: 5000 } },
      { code: 'express', price: { amount: 1495 }, freeOver: null },
    ]);
  });

  it('answers without an address as the API did before checkout: no shipping, no tax', async () => {
    const { token } = await customer();
    const { preview: priced } = await preview(token, {});
    expect(priced).toMatchObject({
      subtotal: { amount: 1250 },
      shipping: { amount: 0 },
      tax: { amount: 0 },
      total: { amount: 1250 },
      availableShippingMethods: [],
    });
  });
});

describe('placeOrder with checkout choices', () => {
  it('stores every total line and both addresses; billing is the shipping address unless given', async () => {
    const { principal, token } = await customer([{ product: MUG, quantity: 2 }]);
    const { order, userErrors } = await place(token, {
      shippingAddress: shipTo(BERLIN),
      shippingMethodCode: 'express',
    });
    expect(userErrors).toEqual([]);
    // (2500 + 1495) x 19 % = 759.05 -> 759.
    expect(order).toMatchObject({
      subtotal: { amount: 2500 },
      shipping: { amount: 1495 },
      tax: { amount: 759 },
      total: { amount: 4754, currency: 'EUR' },
      shippingMethod: { code: 'express', name: 'Express' },
      shippingAddress: { ...BERLIN, line2: null, region: null, phone: null },
      billingAddress: { ...BERLIN, line2: null, region: null, phone: null },
    });
    const stored = await db.prisma.order.findUniqueOrThrow({ where: { id: order!.id } });
    expect(stored).toMatchObject({
      subtotalAmount: 2500,
      discountAmount: 0,
      shippingAmount: 1495,
      taxAmount: 759,
      totalAmount: 4754,
      taxRateBps: 1900,
    });
    const event = await db.prisma.outboxEvent.findFirstOrThrow({
      where: { aggregateId: order!.id, type: 'OrderPlaced' },
    });
    expect((event.envelope as { payload: Record<string, unknown> }).payload).toMatchObject({
      userId: principal.userId,
      total: { amount: 4754, currency: 'EUR' },
      shippingAddress: { country: 'DE', city: 'Berlin' },
      billingAddress: { country: 'DE', city: 'Berlin' },
    });
  });

  it("takes an address of the caller's address book by id", async () => {
    const { token } = await customer();
    const { order } = await place(token, {
      shippingAddress: { addressId: BOOK_ADDRESS_ID },
      billingAddress: shipTo(BERLIN),
      shippingMethodCode: 'standard',
    });
    expect(order?.shippingAddress).toMatchObject({ city: 'Paris', country: 'FR' });
    expect(order?.billingAddress).toMatchObject({ city: 'Berlin' });
    // Taxed where it is shipped: (1250 + 495) x 20 % = 349.
    expect(order?.tax.amount).toBe(349);
  });

  it('refuses bad checkout input with typed userErrors and writes nothing', async () => {
    const { principal, token } = await customer();
    const { country: _country, ...noCountry } = BERLIN;
    const cases: [Record<string, unknown>, UserErrorView[]][] = [
      [
        { shippingAddress: shipTo(noCountry), shippingMethodCode: 'standard' },
        [
          {
            code: 'ADDRESS_FIELD_REQUIRED',
            field: ['input', 'shippingAddress', 'address', 'country'],
          },
        ],
      ],
      [
        {
          shippingAddress: shipTo({ ...BERLIN, postalCode: '1011' }),
          shippingMethodCode: 'standard',
        },
        [
          {
            code: 'INVALID_POSTAL_CODE',
            field: ['input', 'shippingAddress', 'address', 'postalCode'],
          },
        ],
      ],
      [
        { shippingAddress: { addressId: randomUUID() }, shippingMethodCode: 'standard' },
        [{ code: 'ADDRESS_NOT_FOUND', field: ['input', 'shippingAddress', 'addressId'] }],
      ],
      [
        { shippingAddress: shipTo(BERLIN), shippingMethodCode: 'teleport' },
        [{ code: 'UNKNOWN_SHIPPING_METHOD', field: ['input', 'shippingMethodCode'] }],
      ],
      [
        { shippingAddress: shipTo(PARIS), shippingMethodCode: 'express' },
        [{ code: 'UNKNOWN_SHIPPING_METHOD', field: ['input', 'shippingMethodCode'] }],
      ],
      [
        { shippingAddress: shipTo(BERLIN) },
        [{ code: 'SHIPPING_METHOD_REQUIRED', field: ['input', 'shippingMethodCode'] }],
      ],
      [
        { shippingMethodCode: 'standard' },
        [{ code: 'SHIPPING_ADDRESS_REQUIRED', field: ['input', 'shippingAddress'] }],
      ],
      [
        { discountCode: 'NO-SUCH-CODE' },
        [{ code: 'DISCOUNT_CODE_NOT_FOUND', field: ['input', 'discountCode'] }],
      ],
    ];
    for (const [input, expected] of cases) {
      expect((await place(token, input)).userErrors).toEqual(expected);
    }
    const both = await graphql(
      server.url,
      PLACE_ORDER,
      {
        input: {
          idempotencyKey: 'both',
          paymentToken: 'tok_visa',
          shippingAddress: { addressId: BOOK_ADDRESS_ID, address: BERLIN },
        },
      },
      token,
    );
    expect(errorCodes(both)).toEqual(['BAD_USER_INPUT']);
    expect(await ordersOf(principal.userId)).toBe(0);
  });
});

describe('discount codes', () => {
  it('are created and deactivated by an ADMIN only, with their definition checked', async () => {
    const { token } = await customer();
    const forbidden = await graphql(
      server.url,
      CREATE_CODE,
      { input: { code: 'MINE', kind: 'PERCENTAGE', value: 10, currency: 'EUR' } },
      token,
    );
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
    expect(codes(await createCode({ code: 'x' }))).toEqual(['INVALID_DISCOUNT_CODE']);
    expect(codes(await createCode({ code: 'TOO-MUCH', value: 101 }))).toEqual([
      'INVALID_DISCOUNT_CODE',
    ]);
    expect(
      codes(
        await createCode({ code: 'PAST', expiresAt: new Date(Date.now() - 60_000).toISOString() }),
      ),
    ).toEqual(['INVALID_DISCOUNT_CODE']);
    expect((await createCode({ code: 'welcome10' })).discountCode?.code).toBe('WELCOME10');
    expect(codes(await createCode({ code: 'Welcome10' }))).toEqual(['DISCOUNT_CODE_TAKEN']);

    const off = await graphql<{ deactivateDiscountCode: { discountCode: { active: boolean } } }>(
      server.url,
      DEACTIVATE,
      { code: 'welcome10' },
      adminToken,
    );
    expect(off.data?.deactivateDiscountCode.discountCode.active).toBe(false);
    expect(codes(await place(token, { discountCode: 'WELCOME10' }))).toEqual([
      'DISCOUNT_CODE_NOT_FOUND',
    ]);
  });

  it('take a percentage off the subtotal before shipping and tax', async () => {
    await createCode({ code: 'TENOFF', value: 10 });
    const { token } = await customer([{ product: MUG, quantity: 3 }]);
    const { order } = await place(token, {
      shippingAddress: shipTo(BERLIN),
      shippingMethodCode: 'standard',
      discountCode: ' tenoff ',
    });
    // 3750 - 375 = 3375 + 495 = 3870; x 19 % = 735.3 -> 735.
    expect(order).toMatchObject({
      subtotal: { amount: 3750 },
      discount: { amount: 375 },
      shipping: { amount: 495 },
      tax: { amount: 735 },
      total: { amount: 4605 },
      discountCode: 'TENOFF',
    });
  });

  it('apply from their minimum subtotal, in their currency, until they expire', async () => {
    await createCode({ code: 'BIGCART', kind: 'FIXED_AMOUNT', value: 500, minimumSubtotal: 2000 });
    await createCode({ code: 'DOLLARS', kind: 'FIXED_AMOUNT', value: 500, currency: 'USD' });
    await createCode({ code: 'SOON', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const { principal, token } = await customer();
    expect(codes(await preview(token, { discountCode: 'BIGCART' }))).toEqual([
      'DISCOUNT_CODE_NOT_APPLICABLE',
    ]);
    expect(codes(await preview(token, { discountCode: 'DOLLARS' }))).toEqual([
      'DISCOUNT_CODE_NOT_APPLICABLE',
    ]);
    expect(codes(await preview(token, { discountCode: 'SOON' }))).toEqual([]);
    // Time passes: the code's expiry is now behind it.
    await db.prisma.discountCode.update({
      where: { code: 'SOON' },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    expect(codes(await place(token, { discountCode: 'SOON' }))).toEqual(['DISCOUNT_CODE_EXPIRED']);
    expect(await ordersOf(principal.userId)).toBe(0);
    expect((await codeRow('SOON')).timesUsed).toBe(0);
  });

  it('allow each customer their uses, and give a use back when the order is cancelled', async () => {
    await createCode({ code: 'ONCEEACH', usageLimitPerCustomer: 1 });
    const { token } = await customer();
    const first = await place(token, { discountCode: 'ONCEEACH' });
    expect(first.userErrors).toEqual([]);
    expect(codes(await place(token, { discountCode: 'ONCEEACH' }))).toEqual([
      'DISCOUNT_CODE_CUSTOMER_LIMIT',
    ]);
    expect(codes(await place((await customer()).token, { discountCode: 'ONCEEACH' }))).toEqual([]);
    expect((await codeRow('ONCEEACH')).timesUsed).toBe(2);

    await graphql(server.url, CANCEL, { id: first.order!.id }, token);
    expect((await codeRow('ONCEEACH')).timesUsed).toBe(1);
    const again = await place(token, { discountCode: 'ONCEEACH' });
    expect(again.userErrors).toEqual([]);
    expect(again.order?.discount.amount).toBe(125);
  });

  it("answer a customer's concurrent retries with one key with their one order, not a used-up code", async () => {
    await createCode({ code: 'RETRIED', usageLimit: 1 });
    const { principal, token } = await customer();
    const input = { idempotencyKey: randomUUID(), discountCode: 'RETRIED' };
    const results = await Promise.all(Array.from({ length: 5 }, () => place(token, input)));
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((result) => result.order?.id)).size).toBe(1);
    expect(await ordersOf(principal.userId)).toBe(1);
    expect((await codeRow('RETRIED')).timesUsed).toBe(1);
  });

  it('give their last use to exactly one of many buyers at once', async () => {
    await createCode({ code: 'LASTONE', usageLimit: 1 });
    const buyers = await Promise.all(Array.from({ length: 8 }, () => customer()));
    const results = await Promise.all(
      buyers.map(({ token }) => place(token, { discountCode: 'LASTONE' })),
    );
    const winners = results.filter((result) => result.order !== null);
    expect(winners).toHaveLength(1);
    expect(results.flatMap(codes).sort()).toEqual(Array(7).fill('DISCOUNT_CODE_USED_UP'));
    expect((await codeRow('LASTONE')).timesUsed).toBe(1);
    expect(
      await db.prisma.discountRedemption.count({ where: { discountCode: { code: 'LASTONE' } } }),
    ).toBe(1);
    const orders = await Promise.all(buyers.map(({ principal }) => ordersOf(principal.userId)));
    expect(orders.reduce((sum, count) => sum + count, 0)).toBe(1);
  });
});
