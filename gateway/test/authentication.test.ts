import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type TestAuthority } from '@microshop/auth';
import { authenticationFeature } from '../src/authentication.ts';
import { serveFeatures, type ServedFeatures } from './serve-features.ts';

/**
 * The authentication feature alone: a verified token becomes the request's principal, no token an
 * anonymous caller, and a token that does not verify is answered 401 before anything runs.
 */

let authority: TestAuthority;
let served: ServedFeatures;

beforeAll(async () => {
  authority = await createTestAuthority();
  served = await serveFeatures([authenticationFeature(authority.verifier)]);
});

afterAll(() => served.close());

const post = (authorization?: string) =>
  fetch(served.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: '{"query":"{ me { id } }"}',
  });

describe('authenticationFeature', () => {
  it('passes a verified caller on with their principal and header', async () => {
    const token = await authority.tokenFor({ userId: 'u-1', role: 'CUSTOMER' });
    const response = await post(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: {
        principal: { userId: 'u-1', role: 'CUSTOMER' },
        authorization: `Bearer ${token}`,
      },
    });
  });

  it('passes a caller without a token on as anonymous', async () => {
    const response = await post();
    expect(await response.json()).toEqual({ data: { principal: null } });
  });

  it('answers a token of another authority 401 UNAUTHENTICATED, with the request id', async () => {
    const before = served.reached.length;
    const stranger = await createTestAuthority();
    const token = await stranger.tokenFor({ userId: 'u-1', role: 'ADMIN' });
    const response = await post(`Bearer ${token}`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      requestId: response.headers.get('x-request-id'),
    });
    expect(served.reached.length).toBe(before);
  });
});
