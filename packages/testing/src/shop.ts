import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { graphql } from './graphql.ts';

/**
 * The shop's everyday steps through the gateway, for tests and benchmarks that need an order (or
 * a product, or a cart) on the way to what they check: each throws with the whole response when
 * the step does not succeed, so a failure says why. Only the gateway URL is needed, so they work
 * as well against a gateway in another process. A test that checks a step's own answer (its
 * userErrors, its status code, the fields it selects) sends that request itself.
 */

/** Where the steps go: a stack's, or any gateway's, /graphql URL. */
type Gateway = { gatewayUrl: string };

export interface SignedUpUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** A new CUSTOMER through the gateway's signUp, with its tokens. */
export async function signUpUser(stack: Gateway, name = 'Test Customer'): Promise<SignedUpUser> {
  const email = `user-${randomUUID()}@example.com`;
  const password = `Pw-${randomUUID()}`;
  const response = await graphql<{
    signUp: {
      accessToken: string | null;
      refreshToken: string | null;
      user: { id: string } | null;
      userErrors: { code: string; message: string }[];
    };
  }>(
    stack.gatewayUrl,
    `
      mutation SignUp($input: SignUpInput!) {
        signUp(input: $input) {
          accessToken
          refreshToken
          user {
            id
          }
          userErrors {
            code
            message
          }
        }
      }
    `,
    { input: { email, password, name } },
  );
  const payload = response.data?.signUp;
  if (!payload?.accessToken || !payload.refreshToken || !payload.user) {
    throw new Error(`signUp failed: ${JSON.stringify(response.errors ?? payload?.userErrors)}`);
  }
  return {
    id: payload.user.id,
    email,
    password,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
  };
}

export interface ProductInput {
  sku: string;
  name: string;
  description: string;
  /** Minor units. */
  priceAmount: number;
  currency: string;
  initialStock: number;
  /** Slug of an existing category; none by default. */
  categorySlug?: string;
  /** The first variant's options, e.g. `[{ name: 'Size', value: 'M' }]`; none by default. */
  variantOptions?: Array<{ name: string; value: string }>;
}

/** Creates a product as an admin; the id. Any field not given has a default, the sku a unique one. */
export async function createProduct(
  stack: Gateway,
  adminToken: string,
  input: Partial<ProductInput> = {},
): Promise<string> {
  const response = await graphql<{ createProduct: { product: { id: string } | null } }>(
    stack.gatewayUrl,
    'mutation CreateProduct($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code message } } }',
    {
      input: {
        sku: `TEST-${randomUUID()}`,
        name: 'Test kettle',
        description: 'Made by a test.',
        priceAmount: 1_000,
        currency: 'EUR',
        initialStock: 10,
        ...input,
      },
    },
    adminToken,
  );
  const productId = response.data?.createProduct.product?.id;
  if (!productId) throw new Error(`createProduct failed: ${JSON.stringify(response)}`);
  return productId;
}

/**
 * Adds `quantity` of a product (of its variant `variantId`, which a product with several needs)
 * to the token's cart; a refusal (userErrors) throws too.
 */
export async function addToCart(
  stack: Gateway,
  token: string,
  productId: string,
  quantity = 1,
  variantId?: string,
): Promise<void> {
  const response = await graphql<{ addToCart: { userErrors: unknown[] } }>(
    stack.gatewayUrl,
    'mutation AddToCart($id: ID!, $variantId: ID, $quantity: Int!) { addToCart(productId: $id, variantId: $variantId, quantity: $quantity) { userErrors { code message } } }',
    { id: productId, variantId, quantity },
    token,
  );
  if (response.errors || response.data?.addToCart.userErrors.length !== 0) {
    throw new Error(`addToCart failed: ${JSON.stringify(response)}`);
  }
}

export interface PlaceOrderOptions {
  /** Default tok_visa, which the payments subgraph authorizes. */
  paymentToken?: string;
  /** Default a fresh one: a new order. The same key again returns the same order. */
  idempotencyKey?: string;
  /**
   * How many requests to send at most (default 1). Further ones go only after an error (e.g. a
   * subgraph too busy on a small machine), with the same idempotency key, so they can never make
   * a second order; a refusal (userErrors) is never retried.
   */
  attempts?: number;
}

/** Places an order of the token's cart; its id. */
export async function placeOrder(
  stack: Gateway,
  token: string,
  {
    paymentToken = 'tok_visa',
    idempotencyKey = randomUUID(),
    attempts = 1,
  }: PlaceOrderOptions = {},
): Promise<string> {
  let response: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const placed = await graphql<{ placeOrder: { order: { id: string } | null } }>(
      stack.gatewayUrl,
      'mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code message } } }',
      { input: { idempotencyKey, paymentToken } },
      token,
    );
    const orderId = placed.data?.placeOrder.order?.id;
    if (orderId) return orderId;
    response = placed;
    if (!placed.errors) break;
  }
  throw new Error(`placeOrder failed: ${JSON.stringify(response)}`);
}

/**
 * Polls `order(id) { status }` until it is `status`: the saga moves an order on after
 * placeOrder has answered, so a test waits for the state it needs.
 */
export async function waitForOrderStatus(
  stack: Gateway,
  orderId: string,
  token: string,
  status: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await graphql<{ order: { status: string } | null }>(
      stack.gatewayUrl,
      'query OrderStatus($id: ID!) { order(id: $id) { status } }',
      { id: orderId },
      token,
    );
    if (response.data?.order?.status === status) return;
    if (Date.now() > deadline) {
      throw new Error(
        `order ${orderId} not ${status} within ${timeoutMs} ms: ${JSON.stringify(response)}`,
      );
    }
    await sleep(200);
  }
}
