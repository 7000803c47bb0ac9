import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddToCartDocument,
  CartDocument,
  CheckoutPreviewDocument,
  CreateDiscountCodeDocument,
  createClient,
  MyAddressesDocument,
  MyOrdersDocument,
  OrderDocument,
  PlaceOrderDocument,
  ShippingMethodsDocument,
  type AddressInput,
  type Client,
  type CreateDiscountCodeInput,
  type PlaceOrderInput,
} from '@microshop/client';
import { createProduct, signUpUser, waitFor } from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * Checkout as a storefront runs it, through the gateway with the typed client, every service
 * running on real backends and the default checkout configuration (standard shipping 4.95, free
 * from 50.00; express 14.95; German VAT 19 % added on top): the methods, the preview, placeOrder
 * with an address, method and discount code, the totals stored with the order, the amount
 * payments authorizes, the address joining the address book, the race for a code's last use,
 * and bad input refused with nothing written.
 */

let stack: Stack;
let adminToken: string;

const BERLIN: AddressInput = {
  name: 'Ada Lovelace',
  line1: 'Unter den Linden 1',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
};

beforeAll(async () => {
  stack = await startStack();
  adminToken = (await signInAdmin(stack)).accessToken;
});

afterAll(async () => {
  await stack?.close();
});

async function createCode(
  input: Pick<CreateDiscountCodeInput, 'code'> & Partial<CreateDiscountCodeInput>,
): Promise<void> {
  const admin = createClient({ url: stack.gatewayUrl, token: adminToken });
  const created = await admin.request(CreateDiscountCodeDocument, {
    input: { kind: 'PERCENTAGE', value: 10, currency: 'EUR', ...input },
  });
  if (!created.createDiscountCode.discountCode) {
    throw new Error(`createDiscountCode failed: ${JSON.stringify(created)}`);
  }
}

const timesUsed = async (code: string) =>
  (await stack.db.prisma.discountCode.findUniqueOrThrow({ where: { code } })).timesUsed;

/** A signed-up customer's typed client with `quantity` of the product in the cart. */
async function shopper(productId: string, quantity: number): Promise<Client> {
  const customer = createClient({
    url: stack.gatewayUrl,
    token: (await signUpUser(stack)).accessToken,
  });
  await customer.request(AddToCartDocument, { productId, quantity });
  return customer;
}

const placeWith = (
  customer: Client,
  input: Omit<PlaceOrderInput, 'idempotencyKey' | 'paymentToken'>,
  paymentToken = 'tok_visa',
) =>
  customer.request(PlaceOrderDocument, {
    input: { idempotencyKey: randomUUID(), paymentToken, ...input },
  });

describe('checkout through the gateway', () => {
  it('prices, places and pays an order with an address, a method and a code, and saves the address', async () => {
    const productId = await createProduct(stack, adminToken, {
      priceAmount: 2000,
      initialStock: 10,
    });
    await createCode({ code: 'E2E-WELCOME' });
    const customer = await shopper(productId, 2);

    const methods = await customer.request(ShippingMethodsDocument, {
      country: 'DE',
      subtotal: { amount: 4000, currency: 'EUR' },
    });
    expect(methods.shippingMethods.map((method) => [method.code, method.price.amount])).toEqual([
      ['standard', 495],
      ['express', 1495],
    ]);

    const choices = {
      shippingAddress: { address: BERLIN },
      shippingMethodCode: 'standard',
      discountCode: 'e2e-welcome',
    };
    const { checkoutPreview } = await customer.request(CheckoutPreviewDocument, { input: choices });
    expect(checkoutPreview.userErrors).toEqual([]);
    // 4000 - 10 % = 3600 (under 50.00: shipping 495); (3600 + 495) x 19 % = 778.05 -> 778.
    const expected = {
      subtotal: { amount: 4000, currency: 'EUR' },
      discount: { amount: 400, currency: 'EUR' },
      shipping: { amount: 495, currency: 'EUR' },
      tax: { amount: 778, currency: 'EUR' },
    };
    expect(checkoutPreview.preview).toMatchObject({
      ...expected,
      total: { amount: 4873, currency: 'EUR' },
      taxRatePercent: 19,
      discountCode: 'E2E-WELCOME',
    });

    const { placeOrder } = await placeWith(customer, choices);
    expect(placeOrder.userErrors).toEqual([]);
    const orderId = placeOrder.order!.id;
    expect(placeOrder.order).toMatchObject({
      ...expected,
      total: { amount: 4873, currency: 'EUR' },
      discountCode: 'E2E-WELCOME',
      shippingMethod: { code: 'standard' },
      shippingAddress: { ...BERLIN, line2: null, region: null, phone: null },
      billingAddress: { city: 'Berlin', country: 'DE' },
    });
    expect(await timesUsed('E2E-WELCOME')).toBe(1);

    // Payments authorizes the order's total, not the sum of its lines.
    const confirmed = await waitFor(
      'the order to be confirmed',
      async () => {
        const { order } = await customer.request(OrderDocument, { id: orderId });
        return order?.status === 'CONFIRMED' ? order : undefined;
      },
      120_000,
    );
    expect(confirmed.payment?.amount).toEqual({ amount: 4873, currency: 'EUR' });
    expect(confirmed.total).toEqual({ amount: 4873, currency: 'EUR' });

    // The address joins the address book (users consumes OrderPlaced), as its default.
    const book = await waitFor('the address in the book', async () => {
      const { me } = await customer.request(MyAddressesDocument);
      return me?.addresses.length ? me.addresses : undefined;
    });
    expect(book).toEqual([
      expect.objectContaining({
        city: 'Berlin',
        country: 'DE',
        isDefaultShipping: true,
        isDefaultBilling: true,
      }),
    ]);

    // Next time the storefront offers it by id; the book does not grow a duplicate.
    await customer.request(AddToCartDocument, { productId, quantity: 1 });
    const again = await placeWith(customer, {
      shippingAddress: { addressId: book[0]!.id },
      shippingMethodCode: 'express',
    });
    expect(again.placeOrder.order).toMatchObject({
      subtotal: { amount: 2000 },
      shipping: { amount: 1495 },
      shippingAddress: { city: 'Berlin' },
    });
    const secondId = again.placeOrder.order!.id;
    const placedEvent = await stack.db.prisma.outboxEvent.findFirstOrThrow({
      where: { aggregateId: secondId, type: 'OrderPlaced' },
    });
    await waitFor('the address book to handle the second order', async () => {
      const handled = await stack.db.prisma.processedEvent.count({
        where: { consumer: { endsWith: 'users-address-book' }, eventId: placedEvent.id },
      });
      return handled === 1 || undefined;
    });
    expect((await customer.request(MyAddressesDocument)).me?.addresses).toHaveLength(1);
  });

  it('gives the last use of a code to exactly one of many buyers at once', async () => {
    const productId = await createProduct(stack, adminToken, {
      priceAmount: 1000,
      initialStock: 50,
    });
    await createCode({ code: 'E2E-LAST', usageLimit: 1 });
    const buyers = await Promise.all(Array.from({ length: 6 }, () => shopper(productId, 1)));
    const results = await Promise.all(
      buyers.map((buyer) => placeWith(buyer, { discountCode: 'E2E-LAST' })),
    );
    const placed = results.filter((result) => result.placeOrder.order);
    expect(placed).toHaveLength(1);
    expect(placed[0]!.placeOrder.order?.discount.amount).toBe(100);
    expect(
      results.flatMap((result) => result.placeOrder.userErrors.map((error) => error.errorCode)),
    ).toEqual(Array(5).fill('DISCOUNT_CODE_USED_UP'));
    expect(await timesUsed('E2E-LAST')).toBe(1);
  });

  it('gives a use back when the payment fails', async () => {
    const productId = await createProduct(stack, adminToken, {
      priceAmount: 1000,
      initialStock: 10,
    });
    await createCode({ code: 'E2E-RETRY', usageLimit: 1 });
    const customer = await shopper(productId, 1);
    const declined = await placeWith(customer, { discountCode: 'E2E-RETRY' }, 'tok_chargeDeclined');
    const orderId = declined.placeOrder.order!.id;
    await waitFor(
      'the payment to fail',
      async () =>
        (await customer.request(OrderDocument, { id: orderId })).order?.status ===
          'PAYMENT_FAILED' || undefined,
      120_000,
    );
    expect(await timesUsed('E2E-RETRY')).toBe(0);
    await customer.request(AddToCartDocument, { productId, quantity: 1 });
    expect(
      (await placeWith(customer, { discountCode: 'E2E-RETRY' })).placeOrder.userErrors,
    ).toEqual([]);
  });

  it('refuses an expired code, an address without a country and an unknown method, writing nothing', async () => {
    const productId = await createProduct(stack, adminToken, {
      priceAmount: 1000,
      initialStock: 10,
    });
    await createCode({
      code: 'E2E-OLD',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    // Time passes: the code's expiry is behind it now.
    await stack.db.prisma.discountCode.update({
      where: { code: 'E2E-OLD' },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const customer = await shopper(productId, 3);
    const { country: _country, ...noCountry } = BERLIN;

    const refusals = [
      [{ discountCode: 'E2E-OLD' }, 'DISCOUNT_CODE_EXPIRED', ['input', 'discountCode']],
      [
        { shippingAddress: { address: noCountry }, shippingMethodCode: 'standard' },
        'ADDRESS_FIELD_REQUIRED',
        ['input', 'shippingAddress', 'address', 'country'],
      ],
      [
        { shippingAddress: { address: BERLIN }, shippingMethodCode: 'drone' },
        'UNKNOWN_SHIPPING_METHOD',
        ['input', 'shippingMethodCode'],
      ],
    ] as const;
    for (const [input, errorCode, field] of refusals) {
      const { placeOrder } = await placeWith(customer, input);
      expect(placeOrder.order).toBeNull();
      expect(placeOrder.userErrors).toEqual([
        expect.objectContaining({ errorCode, code: errorCode, field }),
      ]);
    }
    const { me } = await customer.request(MyOrdersDocument, {});
    expect(me?.orders.totalCount).toBe(0);
    expect((await customer.request(CartDocument)).cart?.totalQuantity).toBe(3);
    expect((await customer.request(MyAddressesDocument)).me?.addresses).toEqual([]);
    expect(await timesUsed('E2E-OLD')).toBe(0);
  });
});
