import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  graphql,
  placeOrder,
  requireBackend,
  signUpUser,
  waitFor,
  type SignedUpUser,
} from '@microshop/testing';
import { signInAdmin, startCluster, type Cluster } from '@microshop/e2e';

/**
 * The supergraph scaled out: two instances of every subgraph, of the orders worker and of the
 * gateway (behind one round-robin proxy), real Kafka (topics of 6 partitions), Redis, PostgreSQL
 * and OpenSearch. 300 orders from 30 customers through both gateways while one orders worker and
 * one catalog instance are SIGKILLed and restarted (the worker group rebalances): every order
 * settles once, is paid once, stock adds up, and each customer's subscriptions (on one gateway
 * or the other) see every status change of its orders once, in order. Then oversell and
 * idempotency races across the instances.
 */

const USERS = 30;
const ORDERS_PER_USER = 10;
const ORDERS = USERS * ORDERS_PER_USER;
const INITIAL_STOCK = 10_000;
/** The chaos starts once this many orders are placed. */
const KILL_AFTER = ORDERS / 3;
/** Each customer's last order is paid with a declined card; its first is shipped and delivered. */
const DECLINED = ORDERS_PER_USER - 1;
const DELIVERED = 0;

let cluster: Cluster;
let adminToken: string;
const clients: Client[] = [];

beforeAll(async () => {
  requireBackend('KAFKA_BROKERS');
  requireBackend('REDIS_URL');
  cluster = await startCluster({
    instances: 2,
    topicPartitions: 6,
    // What is under test is the answers of N instances, not the gateway's load shedding: on a
    // 2-core machine 14 processes make subgraph calls slow, and an open circuit would fail them.
    overrides: { SUBGRAPH_TIMEOUT_MS: '30000', CIRCUIT_BREAKER_THRESHOLD: '1000' },
  });
  adminToken = (await signInAdmin(cluster)).accessToken;
}, 360_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await cluster?.close();
});

/**
 * A request retried on a transport or GraphQL error (an instance killed under it, a circuit a
 * busy machine's timeout) for up to 60 s; never on
 * userErrors.
 */
async function retried<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} failed`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 200 * tries)));
    }
  }
}

function connect(token: string, gatewayUrl: string): Client {
  const client = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

/** The statuses pushed to one subscriber of one order, in arrival order. */
interface Watched {
  orderId: string;
  /** The first is the order as it was when the subscription started, then one per change. */
  pushed: string[];
  errors: unknown[];
}

function watchOrder(client: Client, orderId: string): Watched {
  const watched: Watched = { orderId, pushed: [], errors: [] };
  client.subscribe<{ orderStatusChanged: { status: string } }>(
    {
      query: 'subscription ($orderId: ID!) { orderStatusChanged(orderId: $orderId) { id status } }',
      variables: { orderId },
    },
    {
      next: (result) => {
        const status = result.data?.orderStatusChanged.status;
        if (result.errors || !status) watched.errors.push(result);
        else watched.pushed.push(status);
      },
      error: (error) => watched.errors.push(error),
      complete: () => undefined,
    },
  );
  return watched;
}

const WALKS: Record<string, string[]> = {
  confirmed: ['PENDING', 'CONFIRMED'],
  delivered: ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED'],
  declined: ['PENDING', 'PAYMENT_FAILED'],
};
const walkOf = (index: number) =>
  index === DELIVERED ? WALKS.delivered! : index === DECLINED ? WALKS.declined! : WALKS.confirmed!;

async function adminMutation(name: 'shipOrder' | 'deliverOrder', orderId: string): Promise<void> {
  await retried(name, async () => {
    const response = await graphql<Record<string, { userErrors: unknown[] }>>(
      cluster.gatewayUrl,
      `mutation ($id: ID!) { ${name}(id: $id) { userErrors { code message } } }`,
      { id: orderId },
      adminToken,
    );
    if (response.errors || response.data?.[name]?.userErrors.length !== 0) {
      throw new Error(JSON.stringify(response));
    }
  });
}

/** The member ids of a consumer group, as the broker knows them now. */
async function groupMembers(group: string): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'scale-out-test',
    brokers: requireBackend('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([group]);
    return groups[0]?.state === 'Stable' ? groups[0].members.map((member) => member.memberId) : [];
  } finally {
    await admin.disconnect();
  }
}

async function waitForStableGroup(group: string, members: number): Promise<string[]> {
  return waitFor(
    `${members} members in ${group}`,
    async () => {
      const ids = await groupMembers(group);
      return ids.length === members ? ids : undefined;
    },
    90_000,
  );
}

describe('every service as two instances', () => {
  it(
    'settles 300 orders once each through both gateways across SIGKILLs and a rebalance',
    { timeout: 300_000 },
    async () => {
      const db = cluster.db.prisma;
      const workerGroup = `${cluster.namespace}orders-worker`;
      const products = await Promise.all(
        Array.from({ length: ORDERS_PER_USER }, (_, index) =>
          createProduct(cluster, adminToken, {
            name: `Scale mug ${index}`,
            initialStock: INITIAL_STOCK,
          }),
        ),
      );
      const users = await Promise.all(
        Array.from({ length: USERS }, (_, index) =>
          retried('signUp', () =>
            signUpUser({ gatewayUrl: cluster.gatewayUrls[index % 2]! }, 'Scale Customer'),
          ),
        ),
      );
      const membersBefore = await waitForStableGroup(workerGroup, 2);

      let placed = 0;
      let chaos: Promise<void> | undefined;
      const killAndRestart = async () => {
        await Promise.all([cluster.kill('orders-worker', 0), cluster.kill('catalog', 0)]);
        await Promise.all([cluster.restart('orders-worker', 0), cluster.restart('catalog', 0)]);
      };

      /** Each customer orders products[0..9] in turn, one unit more each time: its own product per order, so the cart's asynchronous emptying never mixes two orders. */
      const orderAll = async (user: SignedUpUser, userIndex: number) => {
        const subscriber = connect(user.accessToken, cluster.gatewayUrls[userIndex % 2]!);
        const watched: Watched[] = [];
        for (let index = 0; index < ORDERS_PER_USER; index += 1) {
          const gateway = { gatewayUrl: cluster.gatewayUrls[(userIndex + index) % 2]! };
          await retried('addToCart', () =>
            addToCart(gateway, user.accessToken, products[index]!, 1 + (index % 3)),
          );
          const idempotencyKey = randomUUID();
          const orderId = await retried('placeOrder', () =>
            placeOrder(gateway, user.accessToken, {
              idempotencyKey,
              paymentToken: index === DECLINED ? 'tok_chargeDeclined' : 'tok_visa',
            }),
          );
          placed += 1;
          if (placed === KILL_AFTER) chaos = killAndRestart();
          watched.push(watchOrder(subscriber, orderId));
        }
        return watched;
      };
      const watchedPerUser = await Promise.all(users.map(orderAll));
      await chaos;
      const watched = watchedPerUser.flat();
      expect(watched).toHaveLength(ORDERS);

      // The restarted worker rejoined: two members again, not the two the group had before.
      const membersAfter = await waitForStableGroup(workerGroup, 2);
      expect(membersAfter.filter((id) => membersBefore.includes(id)).length).toBeLessThan(2);

      const pushedUntil = (entry: Watched, status: string) =>
        waitFor(
          `order ${entry.orderId} pushed ${status}`,
          async () => (entry.pushed.includes(status) ? true : undefined),
          90_000,
        );
      // Each customer's first order shipped, then delivered, each step once its push arrived, so
      // every status of the walk is there to be pushed.
      await Promise.all(
        watchedPerUser.map(async (own) => {
          const first = own[DELIVERED]!;
          await pushedUntil(first, 'CONFIRMED');
          await adminMutation('shipOrder', first.orderId);
          await pushedUntil(first, 'SHIPPED');
          await adminMutation('deliverOrder', first.orderId);
        }),
      );
      const expectedFinal = (entry: Watched) =>
        walkOf(watched.indexOf(entry) % ORDERS_PER_USER).at(-1)!;
      await Promise.all(watched.map((entry) => pushedUntil(entry, expectedFinal(entry))));

      // PostgreSQL: every order once, in its final state, by the walk the state machine allows.
      const orders = await db.order.findMany({
        include: { history: { orderBy: { sequence: 'asc' } }, items: true },
      });
      expect(orders).toHaveLength(ORDERS);
      const byId = new Map(orders.map((order) => [order.id, order]));
      for (const [position, entry] of watched.entries()) {
        const walk = walkOf(position % ORDERS_PER_USER);
        const order = byId.get(entry.orderId)!;
        expect(order.status).toBe(walk.at(-1));
        expect(order.history.map((change) => change.status)).toEqual(walk);
        expect(order.history.map((change) => change.sequence)).toEqual(walk.map((_, i) => i + 1));
      }

      // One payment per order: declined for the declined card, captured once delivered.
      const payments = await db.payment.findMany();
      expect(payments).toHaveLength(ORDERS);
      expect(new Set(payments.map((payment) => payment.orderId)).size).toBe(ORDERS);
      const paymentStatus = new Map(payments.map((payment) => [payment.orderId, payment.status]));
      for (const [position, entry] of watched.entries()) {
        const index = position % ORDERS_PER_USER;
        expect(paymentStatus.get(entry.orderId)).toBe(
          index === DECLINED ? 'DECLINED' : index === DELIVERED ? 'CAPTURED' : 'AUTHORIZED',
        );
      }

      // Stock: reserved = the units of CONFIRMED orders, committed units left the warehouse. The
      // catalog releases or commits a reservation on the order's status change, in a consumer group
      // of its own that went through the rebalance too: wait until it has for every settled order.
      const settledIds = orders
        .filter((order) => order.status !== 'CONFIRMED')
        .map((order) => order.id);
      await waitFor(
        'the catalog to release or commit the reservations of every settled order',
        async () =>
          (await db.stockReservation.count({
            where: { orderId: { in: settledIds }, status: 'RESERVED' },
          })) === 0
            ? true
            : undefined,
        60_000,
      );
      const unitsOf = (productId: string, statuses: string[]) =>
        orders
          .filter((order) => statuses.includes(order.status))
          .flatMap((order) => order.items)
          .filter((item) => item.productId === productId)
          .reduce((sum, item) => sum + item.quantity, 0);
      for (const productId of products) {
        // The product's one variant holds its stock.
        const variant = await db.productVariant.findFirstOrThrow({ where: { productId } });
        const reservations = await db.stockReservation.findMany({ where: { productId } });
        const sumOf = (status: string) =>
          reservations
            .filter((reservation) => reservation.status === status)
            .reduce((sum, reservation) => sum + reservation.quantity, 0);
        expect(variant.reserved).toBe(unitsOf(productId, ['CONFIRMED']));
        expect(sumOf('RESERVED')).toBe(variant.reserved);
        expect(sumOf('COMMITTED')).toBe(unitsOf(productId, ['DELIVERED']));
        expect(sumOf('RELEASED')).toBe(unitsOf(productId, ['PAYMENT_FAILED']));
        expect(variant.onHand).toBe(INITIAL_STOCK - sumOf('COMMITTED'));
        expect(variant.onHand - variant.reserved).toBeGreaterThanOrEqual(0);
      }

      // Through the API, each customer's orders as PostgreSQL has them.
      for (const [userIndex, user] of users.entries()) {
        const own = watchedPerUser[userIndex]!;
        const query = `{ ${own.map((entry, i) => `o${i}: order(id: "${entry.orderId}") { status }`).join(' ')} }`;
        const response = await graphql<Record<string, { status: string }>>(
          cluster.gatewayUrl,
          query,
          {},
          user.accessToken,
        );
        expect(response.errors).toBeUndefined();
        expect(own.map((_, i) => response.data?.[`o${i}`]?.status)).toEqual(
          own.map((entry) => byId.get(entry.orderId)!.status),
        );
      }

      // Subscribers: the first push is where the order stood when the subscription started, then
      // every later step of its walk, once each and in order; the last push is the final state.
      for (const [position, entry] of watched.entries()) {
        const walk = walkOf(position % ORDERS_PER_USER);
        expect(entry.errors).toEqual([]);
        const start = walk.indexOf(entry.pushed[0]!);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(entry.pushed).toEqual(walk.slice(start));
      }
      const pushes = watched.reduce((sum, entry) => sum + entry.pushed.length, 0);
      const changesSeen = watched.reduce((sum, entry) => sum + entry.pushed.length - 1, 0);
      process.stdout.write(
        `scale-out: ${ORDERS} orders, ${pushes} pushes (${changesSeen} of them changes after subscribing), worker group members ${membersBefore.join(',')} -> ${membersAfter.join(',')}\n`,
      );
    },
  );

  it(
    'sells 10 units to exactly 10 of 50 buyers racing through both gateways',
    { timeout: 180_000 },
    async () => {
      const productId = await createProduct(cluster, adminToken, {
        name: 'Last ten lamps',
        initialStock: 10,
      });
      const buyers = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          retried('signUp', () => signUpUser({ gatewayUrl: cluster.gatewayUrls[index % 2]! })),
        ),
      );
      await Promise.all(
        buyers.map((buyer, index) =>
          addToCart({ gatewayUrl: cluster.gatewayUrls[index % 2]! }, buyer.accessToken, productId),
        ),
      );
      const orderIds = await Promise.all(
        buyers.map((buyer, index) =>
          placeOrder({ gatewayUrl: cluster.gatewayUrls[index % 2]! }, buyer.accessToken, {
            attempts: 3,
          }),
        ),
      );
      const db = cluster.db.prisma;
      const settled = await waitFor(
        'all 50 orders settled',
        async () => {
          const orders = await db.order.findMany({ where: { id: { in: orderIds } } });
          return orders.every((order) => order.status !== 'PENDING') ? orders : undefined;
        },
        120_000,
      );
      expect(settled).toHaveLength(50);
      expect(settled.filter((order) => order.status === 'CONFIRMED')).toHaveLength(10);
      expect(settled.filter((order) => order.status === 'CANCELLED')).toHaveLength(40);
      const variant = await db.productVariant.findFirstOrThrow({ where: { productId } });
      expect(variant).toMatchObject({ onHand: 10, reserved: 10 });
    },
  );

  it('makes one order of one idempotency key sent to both gateways at once', async () => {
    const productId = await createProduct(cluster, adminToken, { name: 'Twice-sent kettle' });
    const buyer = await signUpUser(cluster);
    await addToCart(cluster, buyer.accessToken, productId);
    const idempotencyKey = randomUUID();
    const orderIds = await Promise.all(
      cluster.gatewayUrls.map((gatewayUrl) =>
        placeOrder({ gatewayUrl }, buyer.accessToken, { idempotencyKey }),
      ),
    );
    expect(new Set(orderIds).size).toBe(1);
    expect(await cluster.db.prisma.order.count({ where: { userId: buyer.id } })).toBe(1);
  });
});
