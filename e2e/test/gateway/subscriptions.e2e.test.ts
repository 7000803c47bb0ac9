import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { ProductChangedDocument, type ProductChangedSubscription } from '@microshop/client';
import { createLogger, type RunningServer } from '@microshop/runtime';
import {
  addToCart,
  createProduct,
  graphql,
  placeOrder,
  signUpUser,
  waitForOrderStatus,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';
import { startGateway } from '@microshop/gateway';

/**
 * The live fields over graphql-ws through the gateway. The first push is the entity as it is once
 * the subscription is in place, then one per change, none repeated: a change made while the
 * subscription starts is not lost. orderStatusChanged: pushes carry the subscriber's whole
 * selection set resolved across subgraphs, and only the owner (or an admin) may subscribe.
 * productChanged: the stock the order saga reserves is pushed to that product's subscribers, and
 * to no one else's.
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

/** A graphql-ws client; anonymous without a token. */
function connect(token: string | undefined, gatewayUrl = stack.gatewayUrl): Client {
  const client = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

interface Subscribed<T> {
  /** Every result pushed so far. */
  results: FormattedExecutionResult<T, unknown>[];
  /** Resolves with the first pushed result that satisfies `predicate`. */
  next(
    predicate: (result: FormattedExecutionResult<T, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<FormattedExecutionResult<T, unknown>>;
  /** Resolves once the server ended the operation (an `error` message or `complete`). */
  ended: Promise<unknown>;
}

function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Subscribed<T> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  const waiters = new Set<() => void>();
  let endedResolve: (value: unknown) => void = () => undefined;
  const ended = new Promise((resolve) => (endedResolve = resolve));
  client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        results.push(result);
        for (const waiter of waiters) waiter();
      },
      error: (error) => endedResolve(error),
      complete: () => endedResolve('complete'),
    },
  );
  return {
    results,
    ended,
    next(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = results.find(predicate);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching push within ${timeoutMs} ms; got ${JSON.stringify(results)}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** The gateway's own count of open subscriptions, from /metrics. */
async function activeSubscriptions(gatewayUrl = stack.gatewayUrl): Promise<number> {
  const metrics = await (await fetch(new URL('/metrics', gatewayUrl))).text();
  return Number(/^gateway_active_subscriptions (\d+)$/m.exec(metrics)?.[1] ?? Number.NaN);
}

/** A product bought by `token`: one unit added to the cart, the order placed; its id. */
async function orderOne(token: string, productId: string): Promise<string> {
  await addToCart(stack, token, productId);
  return placeOrder(stack, token);
}

/** A product of its own for each test, with a name the pushes are checked for. */
const newTeapot = () => createProduct(stack, adminToken, { name: 'Subscribed teapot' });

interface OrderPush {
  watched: {
    id: string;
    status: string;
    statusHistory: { status: string }[];
    items: { product: { name: string } }[];
    payment: { status: string } | null;
  };
}

const WATCH = `subscription Watch($orderId: ID!) {
  watched: orderStatusChanged(orderId: $orderId) {
    id
    status
    statusHistory { status }
    items { product { name } }
    payment { status }
  }
}`;

const statusesOf = (subscription: Subscribed<OrderPush>) =>
  subscription.results.map((result) => result.data?.watched.status);

describe('orderStatusChanged over graphql-ws', () => {
  it('pushes the order as it is, then every status change, with federated fields resolved', async () => {
    const productId = await newTeapot();
    const customer = await signUpUser(stack);
    const orderId = await orderOne(customer.accessToken, productId);
    await waitForOrderStatus(stack, orderId, customer.accessToken, 'CONFIRMED', 30_000);

    // Shipped while the subscription is still starting (graphql-ws says nothing when it is in
    // place): whether the gateway watches the order by then or not, SHIPPED reaches the subscriber.
    const subscription = subscribe<OrderPush>(connect(customer.accessToken), WATCH, { orderId });
    const shipped = await graphql(
      stack.gatewayUrl,
      'mutation Ship($id: ID!) { shipOrder(id: $id) { order { status } userErrors { code } } }',
      { id: orderId },
      adminToken,
    );
    expect(shipped.data).toEqual({ shipOrder: { order: { status: 'SHIPPED' }, userErrors: [] } });

    const push = await subscription.next((result) => result.data?.watched.status === 'SHIPPED');
    // CONFIRMED first if the subscription started before the shipping, never twice, nothing after.
    expect([['CONFIRMED', 'SHIPPED'], ['SHIPPED']]).toContainEqual(statusesOf(subscription));
    expect(push.errors).toBeUndefined();
    expect(push.data?.watched).toEqual({
      id: orderId,
      status: 'SHIPPED',
      statusHistory: [{ status: 'PENDING' }, { status: 'CONFIRMED' }, { status: 'SHIPPED' }],
      items: [{ product: { name: 'Subscribed teapot' } }],
      payment: { status: expect.any(String) },
    });
    // Resolved by the payments subgraph; shipping may already have captured the authorization.
    expect(['AUTHORIZED', 'CAPTURED']).toContain(push.data?.watched.payment?.status);
  });

  it('pushes every status change through every gateway instance', async () => {
    // A second gateway beside the stack's own: each instance reads the status events itself.
    const second: RunningServer = await startGateway(
      stack.config,
      createLogger('gateway', stack.config),
    );
    try {
      const productId = await newTeapot();
      const customer = await signUpUser(stack);
      const orderId = await orderOne(customer.accessToken, productId);
      await waitForOrderStatus(stack, orderId, customer.accessToken, 'CONFIRMED', 30_000);

      const gateways = [stack.gatewayUrl, second.url];
      const subscriptions = gateways.map((url) =>
        subscribe<OrderPush>(connect(customer.accessToken, url), WATCH, { orderId }),
      );
      // The first push says the subscription is in place: the order as it is.
      for (const subscription of subscriptions) {
        const first = await subscription.next(() => true);
        expect(first.data?.watched).toMatchObject({ id: orderId, status: 'CONFIRMED' });
      }

      const shipped = await graphql(
        stack.gatewayUrl,
        'mutation Ship($id: ID!) { shipOrder(id: $id) { order { status } } }',
        { id: orderId },
        adminToken,
      );
      expect(shipped.errors).toBeUndefined();
      for (const subscription of subscriptions) {
        const push = await subscription.next((result) => result.data?.watched.status === 'SHIPPED');
        expect(push.data?.watched).toMatchObject({ id: orderId, status: 'SHIPPED' });
        expect(statusesOf(subscription)).toEqual(['CONFIRMED', 'SHIPPED']);
      }
    } finally {
      await second.close();
    }
  });

  it("refuses a subscription to someone else's order with FORBIDDEN", async () => {
    const productId = await newTeapot();
    const owner = await signUpUser(stack);
    const other = await signUpUser(stack);
    const orderId = await orderOne(owner.accessToken, productId);

    const subscription = subscribe<OrderPush>(connect(other.accessToken), WATCH, { orderId });
    const ended = await subscription.ended;
    expect(ended).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    ]);
    expect(subscription.results).toEqual([]);
  });

  it('applies the operation limits to subscription documents', async () => {
    const productId = await newTeapot();
    const owner = await signUpUser(stack);
    const orderId = await orderOne(owner.accessToken, productId);
    const aliases = Array.from({ length: 30 }, (_, index) => `a${index}: id`).join(' ');
    const subscription = subscribe<OrderPush>(
      connect(owner.accessToken),
      `subscription ($orderId: ID!) { orderStatusChanged(orderId: $orderId) { ${aliases} } }`,
      { orderId },
    );
    expect(await subscription.ended).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'OPERATION_LIMIT_EXCEEDED' }),
      }),
    ]);
  });

  it('refuses a connection whose token is forged', async () => {
    const client = createClient({
      url: stack.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: 'Bearer not.a.token' },
      retryAttempts: 0,
      lazy: false,
      // Asserted below through the `closed` event instead of the default console.error.
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    const closed = await new Promise<{ code: number }>((resolve) =>
      client.on('closed', (event) => resolve(event as { code: number })),
    );
    expect(closed.code).toBe(4403);
  });
});

describe('productChanged over graphql-ws', () => {
  // The typed client's own operation (clients/typescript/operations/catalog.graphql).
  const WATCH_PRODUCT = String(ProductChangedDocument);
  const watchProduct = (token: string | undefined, productId: string) =>
    subscribe<ProductChangedSubscription>(connect(token), WATCH_PRODUCT, { productId });

  it("pushes the stock an order reserves to that product's subscribers only", async () => {
    const bought = await createProduct(stack, adminToken, {
      name: 'Live kettle',
      initialStock: 10,
    });
    const untouched = await createProduct(stack, adminToken, {
      name: 'Quiet kettle',
      initialStock: 10,
    });
    const customer = await signUpUser(stack);

    const before = await activeSubscriptions();
    const watcher = watchProduct(customer.accessToken, bought);
    const anonymousWatcher = watchProduct(undefined, bought);
    const bystander = watchProduct(customer.accessToken, untouched);
    // Each first push is the product as it is: the subscription is in place.
    for (const subscription of [watcher, anonymousWatcher, bystander]) {
      const first = await subscription.next(() => true);
      expect(first.data?.productChanged).toMatchObject({ stock: 10, inStock: true });
    }
    expect(await activeSubscriptions()).toBe(before + 3);

    // Three units through the saga: the catalog's reservation is the stock change.
    await addToCart(stack, customer.accessToken, bought, 3);
    await placeOrder(stack, customer.accessToken);
    for (const subscription of [watcher, anonymousWatcher]) {
      const push = await subscription.next((result) => result.data?.productChanged.stock === 7);
      expect(push.errors).toBeUndefined();
      expect(push.data?.productChanged).toMatchObject({
        id: bought,
        name: 'Live kettle',
        stock: 7,
        inStock: true,
      });
      expect(subscription.results.map((result) => result.data?.productChanged.stock)).toEqual([
        10, 7,
      ]);
    }

    // The bystander's pushes are its own product, as it was and after its own change only.
    const adjusted = await graphql(
      stack.gatewayUrl,
      'mutation Adjust($id: ID!) { adjustStock(productId: $id, delta: 5) { userErrors { code } } }',
      { id: untouched },
      adminToken,
    );
    expect(adjusted.data).toEqual({ adjustStock: { userErrors: [] } });
    await bystander.next((result) => result.data?.productChanged.stock === 15);
    expect(bystander.results.map((result) => result.data?.productChanged)).toEqual([
      expect.objectContaining({ id: untouched, name: 'Quiet kettle', stock: 10 }),
      expect.objectContaining({ id: untouched, name: 'Quiet kettle', stock: 15 }),
    ]);
  });

  it('refuses a product that does not exist with NOT_FOUND', async () => {
    const subscription = watchProduct(undefined, '00000000-0000-4000-8000-000000000000');
    expect(await subscription.ended).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
    expect(subscription.results).toEqual([]);
  });
});
