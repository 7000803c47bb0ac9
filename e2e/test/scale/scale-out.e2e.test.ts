import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  placeOrder,
  requireBackend,
  signUpUser,
  waitFor,
} from '@microshop/testing';
import { signInAdmin, startCluster, type Cluster } from '@microshop/e2e';

/**
 * The supergraph scaled out: two instances of every subgraph, of the orders worker and of the
 * gateway (behind one round-robin proxy), real Kafka (topics of 6 partitions), Redis, PostgreSQL
 * and OpenSearch: oversell and idempotency races across the instances. (The 300-order run with
 * SIGKILLed instances and subscribers on both gateways is not in the suite yet: see issue 15.)
 */

let cluster: Cluster;
let adminToken: string;

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

describe('every service as two instances', () => {
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
