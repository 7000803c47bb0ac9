import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, createProduct, graphql, signUpUser } from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The catalog's hot reads (one raw statement for products and their categories, issue 12) answer
 * what was written last: through the gateway, a price or stock change is in the very next
 * product page and in the next cart, with deduplication on as the gateway's defaults have it.
 */

let stack: Stack;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack();
  ({ accessToken: adminToken } = await signInAdmin(stack));
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const PRODUCT_PAGE = `query ProductPage($id: ID!) {
  product(id: $id) { price { amount currency } stock category { slug } }
}`;
const CART = '{ me { cart { items { product { id price { amount } stock } } } } }';

async function productPage(id: string) {
  const response = await graphql<{
    product: { price: { amount: number }; stock: number; category: { slug: string } | null };
  }>(stack.gatewayUrl, PRODUCT_PAGE, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.product;
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

describe('catalog reads after writes, through the gateway', () => {
  it('shows a new price and stock in the next product page and the next cart', async () => {
    const id = await createProduct(stack, adminToken, { priceAmount: 1_000, initialStock: 10 });
    const shopper = await signUpUser(stack);
    await addToCart(stack, shopper.accessToken, id);
    expect(await productPage(id)).toMatchObject({ price: { amount: 1_000 }, stock: 10 });

    await adminMutation(
      'mutation ($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code } } }',
      { id, input: { priceAmount: 1_250 } },
    );
    expect(await productPage(id)).toMatchObject({ price: { amount: 1_250 }, stock: 10 });

    await adminMutation(
      'mutation ($id: ID!, $delta: Int!) { adjustStock(productId: $id, delta: $delta) { userErrors { code } } }',
      { id, delta: -3 },
    );
    expect(await productPage(id)).toMatchObject({ price: { amount: 1_250 }, stock: 7 });

    const cart = await graphql<{
      me: {
        cart: { items: { product: { id: string; price: { amount: number }; stock: number } }[] };
      };
    }>(stack.gatewayUrl, CART, {}, shopper.accessToken);
    expect(cart.errors).toBeUndefined();
    expect(cart.data!.me.cart.items.map((item) => item.product)).toEqual([
      { id, price: { amount: 1_250 }, stock: 7 },
    ]);
  });

  it('answers a product page with its category, and null for an unknown id', async () => {
    const slug = `fresh-${Date.now()}`;
    await adminMutation(
      'mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { userErrors { code } } }',
      { input: { slug, name: 'Fresh reads' } },
    );
    const id = await createProduct(stack, adminToken);
    await adminMutation(
      'mutation ($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code } } }',
      { id, input: { categorySlug: slug } },
    );
    expect((await productPage(id)).category).toEqual({ slug });
    const unknown = await graphql<{ product: unknown }>(stack.gatewayUrl, PRODUCT_PAGE, {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.product).toBeNull();
  });
});
