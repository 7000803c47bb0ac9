import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from '@microshop/runtime';
import type { GatewayFeature } from '../src/feature.ts';
import { httpHandler } from '../src/compose.ts';
import { serveFeatures, type ServedFeatures } from './serve-features.ts';

/**
 * How the composition runs the features' HTTP hooks: /graphql through every `onGraphQLRequest`
 * in list order, each able to answer itself; GET routes beside it; one owner per route.
 */

let served: ServedFeatures | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** A feature that records its name on the way in and out of the /graphql chain. */
function tracer(name: string, seen: string[]): GatewayFeature {
  return {
    name,
    async onGraphQLRequest(_exchange, next) {
      seen.push(`${name} in`);
      await next();
      seen.push(`${name} out`);
    },
  };
}

describe('composeGateway’s HTTP handler', () => {
  it('runs /graphql through the features in list order, nested', async () => {
    const seen: string[] = [];
    served = await serveFeatures([tracer('first', seen), tracer('second', seen)]);
    const response = await fetch(served.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['first in', 'second in', 'second out', 'first out']);
    expect(served.reached).toHaveLength(1);
    expect(response.headers.get('x-request-id')).toBe(served.reached[0]?.requestId);
  });

  it('stops where a feature answers itself', async () => {
    const seen: string[] = [];
    const refusing: GatewayFeature = {
      name: 'refusing',
      onGraphQLRequest: async ({ res }) => sendJson(res, 403, { refused: true }),
    };
    served = await serveFeatures([refusing, tracer('after', seen)]);
    const response = await fetch(served.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
    expect(seen).toEqual([]);
    expect(served.reached).toEqual([]);
  });

  it('serves the features’ GET routes, 404 otherwise', async () => {
    served = await serveFeatures([
      { name: 'ping', routes: { '/ping': (_req, res) => sendJson(res, 200, { pong: true }) } },
    ]);
    const origin = new URL(served.url).origin;
    expect(await (await fetch(`${origin}/ping`)).json()).toEqual({ pong: true });
    expect((await fetch(`${origin}/ping`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${origin}/other`)).status).toBe(404);
  });

  it('refuses two features claiming one route', () => {
    const route = { '/metrics': () => undefined };
    expect(() =>
      httpHandler(
        [
          { name: 'a', routes: route },
          { name: 'b', routes: route },
        ],
        async () => undefined,
        { error: () => undefined } as never,
      ),
    ).toThrow('b claims /metrics');
  });
});
