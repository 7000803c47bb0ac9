import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import { corsFeature } from '../src/cors.ts';
import { serveFeatures, type ServedFeatures } from './serve-features.ts';

/**
 * The CORS feature alone, per environment, on a node:http server through the gateway's own HTTP
 * handler: development lets local front ends and the hosted Sandbox in; production lets nobody in
 * unless CORS_ORIGINS lists it. (gateway/test/cors.e2e.test.ts covers an allow-list on the whole
 * gateway, WebSocket upgrades included.)
 */

const servers: ServedFeatures[] = [];

async function serverFor(env: NodeJS.ProcessEnv): Promise<string> {
  const served = await serveFeatures([corsFeature(loadConfig(env).gateway.cors)]);
  servers.push(served);
  return served.url;
}

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/shop' };
let development: string;
let productionDefault: string;

beforeAll(async () => {
  development = await serverFor({ NODE_ENV: 'development' });
  productionDefault = await serverFor(production);
});

afterAll(async () => {
  for (const served of servers) await served.close();
});

async function preflightStatus(url: string, origin: string) {
  const response = await fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST' },
  });
  return {
    status: response.status,
    allowOrigin: response.headers.get('access-control-allow-origin'),
  };
}

describe('the development default', () => {
  it.each([
    'http://localhost:5173',
    'http://localhost:4000', // the gateway's own page (the embedded Sandbox) if it ever preflights
    'http://127.0.0.1:3000',
    'https://localhost',
    'http://[::1]:8080',
    'https://studio.apollographql.com', // the hosted Sandbox
  ])('lets %s in', async (origin) => {
    expect(await preflightStatus(development, origin)).toEqual({
      status: 204,
      allowOrigin: origin,
    });
  });

  it.each([
    'https://evil.example',
    'http://localhost.evil.example',
    'http://127.0.0.1.evil.example:3000',
    'file://localhost',
    'null',
  ])('keeps %s out', async (origin) => {
    expect(await preflightStatus(development, origin)).toEqual({ status: 403, allowOrigin: null });
  });
});

describe('the production default', () => {
  it.each(['http://localhost:5173', 'https://studio.apollographql.com', 'https://shop.example'])(
    'keeps %s out',
    async (origin) => {
      expect(await preflightStatus(productionDefault, origin)).toEqual({
        status: 403,
        allowOrigin: null,
      });
    },
  );
});

describe('CORS_ORIGINS', () => {
  it('replaces the development default with exactly the listed origins', async () => {
    const url = await serverFor({ NODE_ENV: 'development', CORS_ORIGINS: 'https://shop.example' });
    expect(await preflightStatus(url, 'https://shop.example')).toEqual({
      status: 204,
      allowOrigin: 'https://shop.example',
    });
    expect((await preflightStatus(url, 'http://localhost:5173')).status).toBe(403);
  });

  it('must list origins, naming the variable when it does not', () => {
    for (const value of [
      'https://shop.example/',
      'https://shop.example/path',
      'shop.example',
      '*',
    ]) {
      expect(() => loadConfig({ CORS_ORIGINS: value }), value).toThrow(/CORS_ORIGINS/);
    }
  });
});

describe('WebSocket upgrades', () => {
  const upgrade = (origin: string | undefined) =>
    ({ headers: { host: 'api.shop.example', ...(origin ? { origin } : {}) } }) as never;

  it('lets allowed origins, the gateway’s own pages and non-browsers upgrade; no one else', () => {
    const cors = corsFeature(loadConfig(production).gateway.cors);
    expect(cors.allowsUpgrade?.(upgrade(undefined))).toBe(true);
    expect(cors.allowsUpgrade?.(upgrade('https://api.shop.example'))).toBe(true);
    expect(cors.allowsUpgrade?.(upgrade('https://evil.example'))).toBe(false);
  });
});
