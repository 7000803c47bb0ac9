import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStack, type Stack } from '@microshop/e2e';

/**
 * CORS on the whole gateway in production with an allow-list: browsers on a listed origin may call
 * /graphql (preflight and actual requests); any other origin gets no CORS header, and its preflight
 * is refused. CSRF prevention stays on for everyone.
 */

const SHOP = 'https://shop.example';
const ADMIN = 'https://admin.shop.example:8443';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    overrides: { NODE_ENV: 'production', CORS_ORIGINS: `${SHOP}, ${ADMIN}` },
  });
});

afterAll(async () => {
  await stack?.close();
});

const preflight = (origin: string, requestHeaders = 'content-type, authorization') =>
  fetch(stack.gatewayUrl, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });

const post = (headers: Record<string, string>) =>
  fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ categories { id } }' }),
  });

const corsHeaders = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('CORS with an allow-list (production)', () => {
  it('answers the preflight of a listed origin with what a browser client needs', async () => {
    for (const origin of [SHOP, ADMIN]) {
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      const allowed = response.headers.get('access-control-allow-headers')?.split(', ');
      expect(allowed).toEqual(
        expect.arrayContaining([
          'content-type',
          'authorization',
          'apollo-require-preflight',
          'x-request-id',
        ]),
      );
      expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      expect(response.headers.get('vary')).toBe('Origin');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('refuses the preflight of any other origin, with no CORS header', async () => {
    for (const origin of [
      'https://evil.example',
      'https://shop.example.evil.example',
      'http://shop.example', // another scheme is another origin
      'https://admin.shop.example', // another port too
      'http://localhost:3000', // development's default does not apply in production
      'https://studio.apollographql.com',
      'null',
    ]) {
      const response = await preflight(origin);
      expect(response.status, origin).toBe(403);
      expect(corsHeaders(response), origin).toEqual([]);
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('echoes a listed origin on the actual response and exposes the request id', async () => {
    const response = await post({ origin: SHOP });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(await response.json()).toEqual({ data: { categories: expect.any(Array) } });
  });

  it('adds no CORS header for another origin or without one (the browser then hides the answer)', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
      const response = await post(headers);
      expect(corsHeaders(response)).toEqual([]);
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('keeps CSRF prevention on, for listed origins too', async () => {
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: SHOP },
    });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/);
    // A form post, the one a cross-site page can send without a preflight.
    const form = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { logOut(refreshToken: "x") }' }),
    });
    expect(form.status).toBe(415);
  });

  it('leaves OPTIONS without a preflight request method to the GraphQL endpoint (405)', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'content-type': 'application/json' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  /** How a WebSocket upgrade to /graphql ends: `open`, or the HTTP status it was refused with. */
  const upgrade = (origin?: string) =>
    new Promise<'open' | number>((resolve, reject) => {
      const url = stack.gatewayUrl.replace(/^http/, 'ws');
      const socket = new WebSocket(url, 'graphql-transport-ws', origin ? { origin } : {});
      socket.once('open', () => {
        socket.close();
        resolve('open');
      });
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('error', reject);
    });

  it('refuses a WebSocket upgrade from a browser page of an unlisted origin (CORS does not cover WebSockets)', async () => {
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade('null')).toBe(403);
    expect(await upgrade(SHOP)).toBe('open');
    expect(await upgrade(ADMIN)).toBe('open');
    // A page the gateway serves itself (its own origin), and clients that are not browsers.
    expect(await upgrade(new URL(stack.gatewayUrl).origin)).toBe('open');
    expect(await upgrade()).toBe('open');
  });
});
