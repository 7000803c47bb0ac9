import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  graphql,
  placeOrder,
  signUpUser,
  type SignedUpUser,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The cart through the gateway with every service running: prices and names from the real
 * catalog, `me { cart }` across the users and cart subgraphs in one request, and the cart emptied
 * by the order saga.
 */

let stack: Stack;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack();
  adminToken = (await signInAdmin(stack)).accessToken;
});

afterAll(async () => {
  await stack?.close();
});

const ME_CART = /* GraphQL */ `
  query MyCart {
    me {
      id
      cart {
        items {
          product {
            id
            name
            price {
              amount
              currency
            }
          }
          quantity
          lineTotal {
            amount
          }
        }
        totalQuantity
        subtotal {
          amount
          currency
        }
      }
    }
  }
`;

interface MeCart {
  me: {
    id: string;
    cart: {
      items: {
        product: { id: string; name: string; price: { amount: number } };
        quantity: number;
        lineTotal: { amount: number };
      }[];
      totalQuantity: number;
      subtotal: { amount: number; currency: string };
    };
  } | null;
}

/** A product at a price the cart's totals are checked against. */
const newProduct = (name: string, priceAmount: number, initialStock = 20) =>
  createProduct(stack, adminToken, { name, priceAmount, initialStock });

async function updateProduct(id: string, input: Record<string, unknown>): Promise<void> {
  const updated = await graphql<{ updateProduct: { userErrors: unknown[] } }>(
    stack.gatewayUrl,
    'mutation Update($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code message } } }',
    { id, input },
    adminToken,
  );
  expect(updated.data?.updateProduct.userErrors).toEqual([]);
}

async function cartMutation(
  user: SignedUpUser,
  mutation: string,
  variables: Record<string, unknown>,
) {
  const result = await graphql<Record<string, { userErrors: { code: string }[] }>>(
    stack.gatewayUrl,
    mutation,
    variables,
    user.accessToken,
  );
  expect(result.errors).toBeUndefined();
  return Object.values(result.data ?? {})[0]!.userErrors.map((error) => error.code);
}

const ADD =
  'mutation Add($id: ID!, $q: Int!) { addToCart(productId: $id, quantity: $q) { userErrors { code } } }';
const UPDATE =
  'mutation Update($id: ID!, $q: Int!) { updateCartItem(productId: $id, quantity: $q) { userErrors { code } } }';
const REMOVE =
  'mutation Remove($id: ID!) { removeFromCart(productId: $id) { userErrors { code } } }';
const CLEAR = 'mutation Clear { clearCart { userErrors { code } } }';

async function myCart(user: SignedUpUser) {
  const result = await graphql<MeCart>(stack.gatewayUrl, ME_CART, {}, user.accessToken);
  expect(result.errors).toBeUndefined();
  return result.data!.me!.cart;
}

describe('the cart through the gateway', () => {
  it('fills, reads in one request with catalog names and prices, updates, removes and clears', async () => {
    const [kettle, teapot] = await Promise.all([
      newProduct('Cart kettle', 2_500),
      newProduct('Cart teapot', 1_200),
    ]);
    const customer = await signUpUser(stack);

    expect(await cartMutation(customer, ADD, { id: kettle, q: 2 })).toEqual([]);
    expect(await cartMutation(customer, ADD, { id: teapot, q: 1 })).toEqual([]);
    expect(await myCart(customer)).toEqual({
      items: [
        {
          product: { id: kettle, name: 'Cart kettle', price: { amount: 2_500, currency: 'EUR' } },
          quantity: 2,
          lineTotal: { amount: 5_000 },
        },
        {
          product: { id: teapot, name: 'Cart teapot', price: { amount: 1_200, currency: 'EUR' } },
          quantity: 1,
          lineTotal: { amount: 1_200 },
        },
      ],
      totalQuantity: 3,
      subtotal: { amount: 6_200, currency: 'EUR' },
    });

    expect(await cartMutation(customer, UPDATE, { id: kettle, q: 4 })).toEqual([]);
    expect((await myCart(customer)).subtotal.amount).toBe(4 * 2_500 + 1_200);
    expect(await cartMutation(customer, UPDATE, { id: teapot, q: 0 })).toEqual([]);
    expect((await myCart(customer)).items.map((item) => item.product.id)).toEqual([kettle]);
    expect(await cartMutation(customer, REMOVE, { id: kettle })).toEqual([]);
    expect((await myCart(customer)).items).toEqual([]);
    await addToCart(stack, customer.accessToken, teapot, 1);
    expect(await cartMutation(customer, CLEAR, {})).toEqual([]);
    expect(await myCart(customer)).toEqual({
      items: [],
      totalQuantity: 0,
      subtotal: { amount: 0, currency: 'EUR' },
    });
  });

  it('refuses with stable codes against the real catalog', async () => {
    const scarce = await newProduct('Cart scarce', 900, 2);
    const customer = await signUpUser(stack);
    expect(await cartMutation(customer, ADD, { id: scarce, q: 3 })).toEqual(['INSUFFICIENT_STOCK']);
    expect(await cartMutation(customer, ADD, { id: scarce, q: 100 })).toEqual(['INVALID_QUANTITY']);
    expect(await cartMutation(customer, ADD, { id: randomUUID(), q: 1 })).toEqual([
      'PRODUCT_NOT_FOUND',
    ]);
    await updateProduct(scarce, { active: false });
    expect(await cartMutation(customer, ADD, { id: scarce, q: 1 })).toEqual(['PRODUCT_NOT_FOUND']);

    const anonymous = await graphql(stack.gatewayUrl, ADD, { id: scarce, q: 1 });
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it("shows a price change in an existing cart's subtotal immediately", async () => {
    const lamp = await newProduct('Cart lamp', 4_000);
    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, lamp, 2);
    expect((await myCart(customer)).subtotal.amount).toBe(8_000);
    await updateProduct(lamp, { priceAmount: 3_500 });
    const cart = await myCart(customer);
    expect(cart.items[0]?.product.price.amount).toBe(3_500);
    expect(cart.subtotal.amount).toBe(7_000);
  });

  it('is emptied of the ordered units once the order is placed', async () => {
    const mug = await newProduct('Cart mug', 800);
    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, mug, 2);
    await placeOrder(stack, customer.accessToken);
    const deadline = Date.now() + 60_000;
    let items = (await myCart(customer)).items;
    while (items.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      items = (await myCart(customer)).items;
    }
    expect(items).toEqual([]);
  });
});
