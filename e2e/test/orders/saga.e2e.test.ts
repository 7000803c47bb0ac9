import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import {
  addToCart,
  createProduct,
  graphql,
  placeOrder,
  signUpUser,
  waitFor,
  type SignedUpUser,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The order saga through the gateway, every service running (real Postgres, Kafka, Redis and
 * search engine): placeOrder -> catalog reserves -> payments authorizes -> the worker settles
 * the order -> the gateway pushes it to subscribers.
 */

let stack: Stack;
let adminToken: string;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startStack();
  adminToken = (await signInAdmin(stack)).accessToken;
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await stack?.close();
});

const FINAL = new Set(['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED', 'DELIVERED']);

/** A product of its own for each test: the stock it is checked for starts at `initialStock`. */
const newProduct = (initialStock: number, name = 'Saga kettle') =>
  createProduct(stack, adminToken, { name, initialStock });

async function stockOf(productId: string): Promise<number> {
  const response = await graphql<{ product: { stock: number } }>(
    stack.gatewayUrl,
    'query Stock($id: ID!) { product(id: $id) { stock } }',
    { id: productId },
  );
  return response.data!.product.stock;
}

/**
 * placeOrder as a careful client does it: a failed request (e.g. a subgraph too busy on this
 * small machine) is retried with the same idempotency key, which can never make a second order.
 */
const placeOrderAs = (user: SignedUpUser, paymentToken: string, idempotencyKey?: string) =>
  placeOrder(stack, user.accessToken, { paymentToken, idempotencyKey, attempts: 3 });

interface OrderView {
  id: string;
  status: string;
  statusHistory: { status: string; reason: string | null }[];
  items: { product: { name: string }; quantity: number }[];
  payment: { status: string; failureReason: string | null } | null;
}

const ORDER_VIEW = `
  id
  status
  statusHistory { status reason }
  items { product { name } quantity }
  payment { status failureReason }
`;

async function readOrder(token: string, orderId: string) {
  return graphql<{ order: OrderView | null }>(
    stack.gatewayUrl,
    `query Order($id: ID!) { order(id: $id) { ${ORDER_VIEW} } }`,
    { id: orderId },
    token,
  );
}

async function settled(user: SignedUpUser, orderId: string): Promise<OrderView> {
  return waitFor(
    `order ${orderId} to settle`,
    async () => {
      const order = (await readOrder(user.accessToken, orderId)).data?.order;
      return order && FINAL.has(order.status) ? order : undefined;
    },
    // Generous: the whole stack shares two cores with everything else running on this machine.
    120_000,
  );
}

/** The gateway's own count of open subscriptions, from /metrics. */
async function activeSubscriptions(): Promise<number> {
  const metrics = await (await fetch(new URL('/metrics', stack.gatewayUrl))).text();
  return Number(/^gateway_active_subscriptions (\d+)$/m.exec(metrics)?.[1] ?? Number.NaN);
}

/**
 * Holds a row lock on a product until `release` is called: the catalog's reservation of it
 * waits, which stops the saga right after placeOrder so a test can subscribe before anything moves.
 */
async function holdProduct(productId: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = stack.db.prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM products WHERE id = ${productId}::uuid FOR UPDATE`;
      locked();
      await released;
    },
    { timeout: 60_000 },
  );
  await Promise.race([isLocked, transaction]);
  return {
    async release() {
      release();
      await transaction;
    },
  };
}

describe('the order saga through the gateway', () => {
  it('confirms a tok_visa order and pushes CONFIRMED with federated fields to its subscriber', async () => {
    const productId = await newProduct(5, 'Subscribed kettle');
    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, productId, 2);

    const client = createClient({
      url: stack.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${customer.accessToken}` },
      retryAttempts: 0,
    });
    clients.push(client);

    const hold = await holdProduct(productId);
    let orderId: string;
    const pushes: FormattedExecutionResult<{ orderStatusChanged: OrderView }, unknown>[] = [];
    try {
      orderId = await placeOrderAs(customer, 'tok_visa');
      const before = await activeSubscriptions();
      client.subscribe<{ orderStatusChanged: OrderView }>(
        {
          query: `subscription Watch($orderId: ID!) { orderStatusChanged(orderId: $orderId) { ${ORDER_VIEW} } }`,
          variables: { orderId },
        },
        {
          next: (result) => void pushes.push(result),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      await waitFor('the subscription to be in place', async () =>
        (await activeSubscriptions()) === before + 1 ? true : undefined,
      );
    } finally {
      await hold.release();
    }

    const confirmed = await waitFor('the CONFIRMED push', async () =>
      pushes.find((push) => push.data?.orderStatusChanged.status === 'CONFIRMED'),
    );
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data?.orderStatusChanged).toEqual({
      id: orderId,
      status: 'CONFIRMED',
      statusHistory: [
        { status: 'PENDING', reason: null },
        { status: 'CONFIRMED', reason: null },
      ],
      items: [{ product: { name: 'Subscribed kettle' }, quantity: 2 }],
      payment: { status: 'AUTHORIZED', failureReason: null },
    });
    expect(await stockOf(productId)).toBe(3);
  });

  it('fails a tok_chargeDeclined order and puts its stock back', async () => {
    const productId = await newProduct(4);
    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, productId, 3);
    const orderId = await placeOrderAs(customer, 'tok_chargeDeclined');
    const order = await settled(customer, orderId);
    expect(order.status).toBe('PAYMENT_FAILED');
    expect(order.statusHistory.map((change) => change.status)).toEqual([
      'PENDING',
      'PAYMENT_FAILED',
    ]);
    expect(order.payment).toEqual({ status: 'DECLINED', failureReason: 'card declined' });
    await waitFor('the stock to be released', async () =>
      (await stockOf(productId)) === 4 ? true : undefined,
    );
  });

  it('sells 10 units to exactly 10 of 30 concurrent buyers; the others are cancelled unpaid', async () => {
    const productId = await newProduct(10, 'Scarce kettle');
    const buyers = await Promise.all(Array.from({ length: 30 }, () => signUpUser(stack)));
    await Promise.all(buyers.map((buyer) => addToCart(stack, buyer.accessToken, productId)));
    const orderIds = await Promise.all(buyers.map((buyer) => placeOrderAs(buyer, 'tok_visa')));
    const orders = await Promise.all(orderIds.map((id, index) => settled(buyers[index]!, id)));

    const confirmed = orders.filter((order) => order.status === 'CONFIRMED');
    const cancelled = orders.filter((order) => order.status === 'CANCELLED');
    expect(confirmed).toHaveLength(10);
    expect(cancelled).toHaveLength(20);
    for (const order of confirmed) expect(order.payment?.status).toBe('AUTHORIZED');
    for (const order of cancelled) {
      expect(order.payment).toBeNull();
      expect(order.statusHistory.at(-1)?.reason).toBeTruthy();
    }
    expect(await stockOf(productId)).toBe(0);
    expect(await stack.db.prisma.payment.count({ where: { orderId: { in: orderIds } } })).toBe(10);
  }, 300_000);

  it('returns one order for 5 concurrent placeOrder calls with the same key', async () => {
    const productId = await newProduct(5);
    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, productId);
    const key = randomUUID();
    const ids = await Promise.all(
      Array.from({ length: 5 }, () => placeOrderAs(customer, 'tok_visa', key)),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await stack.db.prisma.order.count({ where: { idempotencyKey: key } })).toBe(1);
    expect((await settled(customer, ids[0]!)).status).toBe('CONFIRMED');
    expect(await stockOf(productId)).toBe(4);
  });

  it('keeps another customer out of an order: reading and cancelling it are FORBIDDEN, like an unknown id', async () => {
    const productId = await newProduct(5);
    const owner = await signUpUser(stack);
    const other = await signUpUser(stack);
    await addToCart(stack, owner.accessToken, productId);
    const orderId = await placeOrderAs(owner, 'tok_visa');

    for (const id of [orderId, randomUUID()]) {
      const read = await readOrder(other.accessToken, id);
      expect(read.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      const cancel = await graphql(
        stack.gatewayUrl,
        'mutation Cancel($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code } } }',
        { id },
        other.accessToken,
      );
      expect(cancel.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect((await settled(owner, orderId)).status).toBe('CONFIRMED');
  });

  it('refunds and restocks a cancelled CONFIRMED order; refuses illegal moves after', async () => {
    const productId = await newProduct(3);
    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, productId, 2);
    const orderId = await placeOrderAs(customer, 'tok_visa');
    expect((await settled(customer, orderId)).status).toBe('CONFIRMED');
    expect(await stockOf(productId)).toBe(1);

    const cancel = await graphql<{
      cancelOrder: { order: { status: string }; userErrors: unknown[] };
    }>(
      stack.gatewayUrl,
      'mutation Cancel($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code } } }',
      { id: orderId },
      customer.accessToken,
    );
    expect(cancel.data?.cancelOrder).toEqual({ order: { status: 'CANCELLED' }, userErrors: [] });
    await waitFor('the refund', async () => {
      const order = (await readOrder(customer.accessToken, orderId)).data?.order;
      return order?.payment?.status === 'REFUNDED' ? order : undefined;
    });
    await waitFor('the stock to come back', async () =>
      (await stockOf(productId)) === 3 ? true : undefined,
    );

    const ship = await graphql<{ shipOrder: { userErrors: { code: string }[] } }>(
      stack.gatewayUrl,
      'mutation Ship($id: ID!) { shipOrder(id: $id) { order { status } userErrors { code } } }',
      { id: orderId },
      adminToken,
    );
    expect(ship.data?.shipOrder.userErrors.map((error) => error.code)).toEqual([
      'INVALID_TRANSITION',
    ]);
  });
});
