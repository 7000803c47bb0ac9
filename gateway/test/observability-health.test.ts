import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '@microshop/config';
import type { GatewayRuntime } from '../src/feature.ts';
import { checkSubgraphs, healthFeature } from '../src/health.ts';
import { serveFeatures } from './serve-features.ts';

/**
 * The gateway's readiness: every subgraph's own /health/ready, asked over real HTTP. A subgraph
 * that answers 503, refuses connections or does not answer in time is not ready.
 */

const servers: Server[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

let ready: string;
let unavailable: string;
let silent: string;
let closed: string;

beforeAll(async () => {
  ready = await listen((req, res) => {
    res.writeHead(req.url === '/health/ready' ? 200 : 404).end();
  });
  unavailable = await listen((_req, res) => res.writeHead(503).end());
  silent = await listen(() => undefined);
  // A port that was listening and no longer is: connections are refused.
  closed = await listen(() => undefined);
  const closing = servers.pop()!;
  await new Promise((resolve) => closing.close(resolve));
});

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('gateway readiness', () => {
  it('is ready when every subgraph is', async () => {
    const urls = { users: ready, catalog: ready, cart: ready, orders: ready, payments: ready };
    const health = await checkSubgraphs(urls);
    expect(health.every((subgraph) => subgraph.ready)).toBe(true);
    expect(health.map((subgraph) => subgraph.name).sort()).toEqual([
      'cart',
      'catalog',
      'orders',
      'payments',
      'users',
    ]);
  });

  it('names every subgraph that is not ready: 503, connection refused, no answer in time', async () => {
    const urls: Config['subgraphUrls'] = {
      users: ready,
      catalog: unavailable,
      cart: closed,
      orders: silent,
      payments: ready,
    };
    // The timeout is short so the test stays quick; the silent subgraph must still count as down.
    const health = await checkSubgraphs(urls, 300);
    expect(Object.fromEntries(health.map((subgraph) => [subgraph.name, subgraph.ready]))).toEqual({
      users: true,
      catalog: false,
      cart: false,
      orders: false,
      payments: true,
    });
  });
});

describe('healthFeature', () => {
  it('is live whatever the subgraphs; ready only when they are, and never while draining', async () => {
    const urls = { users: ready, catalog: ready, cart: ready, orders: ready, payments: ready };
    const feature = healthFeature(urls);
    const served = await serveFeatures([feature]);
    const origin = new URL(served.url).origin;
    const runtime = { draining: false };
    try {
      expect((await fetch(`${origin}/health/live`)).status).toBe(200);
      const readiness = await fetch(`${origin}/health/ready`);
      expect(readiness.status).toBe(200);
      expect(await readiness.json()).toMatchObject({ status: 'ok', service: 'gateway' });

      await feature.start?.(runtime as GatewayRuntime);
      runtime.draining = true;
      const draining = await fetch(`${origin}/health/ready`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ status: 'draining', service: 'gateway' });
    } finally {
      await served.close();
    }
  });
});
