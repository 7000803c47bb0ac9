import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  createAccessTokenIssuer,
  createLocalTokenVerifier,
  createTestAuthority,
  createTokenVerifier,
  generateSigningKey,
  jwksOf,
  type JSONWebKeySet,
  type SigningKey,
  type TokenVerifier,
} from '../src/index.ts';
import { forgedTokens, tokenWith } from '../src/testing.ts';

const issuer = 'microshop';
const audience = 'microshop-api';

async function codeOf(verifier: TokenVerifier, token: string): Promise<unknown> {
  try {
    await verifier.verify(token);
    return 'ACCEPTED';
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions.code;
  }
}

/** A JWKS endpoint whose key set the test can change, counting how often it is fetched. */
async function jwksServer(initial: JSONWebKeySet) {
  let keySet = initial;
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(keySet));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => fetches,
    publish: (next: JSONWebKeySet) => {
      keySet = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const issue = (key: SigningKey, role: 'CUSTOMER' | 'ADMIN' = 'CUSTOMER') =>
  createAccessTokenIssuer(key, { issuer, audience })
    .issue({ userId: 'u-1', role })
    .then((issued) => issued.token);

describe('token verifier: attacks', async () => {
  const { key } = await generateSigningKey();
  const verifier = createLocalTokenVerifier(jwksOf([key.publicJwk]), { issuer, audience });
  const forged = await forgedTokens({ key, issuer, audience });

  it('accepts a token it issued, with the claimed principal', async () => {
    expect(await verifier.verify(await issue(key, 'ADMIN'))).toEqual({
      userId: 'u-1',
      role: 'ADMIN',
    });
    expect(await verifier.verify(await tokenWith({ key, issuer, audience }))).toEqual({
      userId: 'user-1',
      role: 'CUSTOMER',
    });
  });

  it('carries the session id of the sign-in the token was issued for (sid)', async () => {
    const { token } = await createAccessTokenIssuer(key, { issuer, audience }).issue({
      userId: 'u-2',
      role: 'CUSTOMER',
      sessionId: 'family-7',
    });
    expect(await verifier.verify(token)).toEqual({
      userId: 'u-2',
      role: 'CUSTOMER',
      sessionId: 'family-7',
    });
  });

  it.each(Object.keys(forged))('rejects %s with UNAUTHENTICATED', async (attack) => {
    expect(await codeOf(verifier, forged[attack] as string)).toBe('UNAUTHENTICATED');
  });

  it('rejects an oversized token without parsing it', async () => {
    expect(await codeOf(verifier, 'a'.repeat(10_000))).toBe('UNAUTHENTICATED');
  });

  it('answers with HTTP status 401 in the error', async () => {
    const error = await verifier
      .verify(forged.expired as string)
      .catch((caught: GraphQLError) => caught);
    expect((error as GraphQLError).extensions.http).toEqual({ status: 401 });
  });
});

describe('token verifier: remote JWKS', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('fetches the key set once and then serves verifications from its cache', async () => {
    const { key } = await generateSigningKey();
    const jwks = await jwksServer(jwksOf([key.publicJwk]));
    servers.push(jwks);
    const verifier = createTokenVerifier({ jwksUrl: jwks.url, issuer, audience });
    for (let i = 0; i < 3; i += 1) await verifier.verify(await issue(key));
    expect(jwks.fetches()).toBe(1);
  });

  it('refetches on an unknown kid (a rotation), but at most once per cooldown', async () => {
    const { key: oldKey } = await generateSigningKey();
    const { key: newKey } = await generateSigningKey();
    const { key: bogusKey } = await generateSigningKey();
    const jwks = await jwksServer(jwksOf([oldKey.publicJwk]));
    servers.push(jwks);
    const verifier = createTokenVerifier(
      { jwksUrl: jwks.url, issuer, audience },
      { cooldownSeconds: 0.3 },
    );

    await verifier.verify(await issue(oldKey));
    expect(jwks.fetches()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    jwks.publish(jwksOf([newKey.publicJwk, oldKey.publicJwk]));
    expect(await verifier.verify(await issue(newKey))).toEqual({ userId: 'u-1', role: 'CUSTOMER' });
    expect(jwks.fetches()).toBe(2);

    // Within the cooldown, made-up kids cannot make it fetch again.
    for (let i = 0; i < 3; i += 1) {
      expect(await codeOf(verifier, await issue(bogusKey))).toBe('UNAUTHENTICATED');
    }
    expect(jwks.fetches()).toBe(2);
    // Tokens of the previous key still verify while it is published.
    expect(await verifier.verify(await issue(oldKey))).toEqual({ userId: 'u-1', role: 'CUSTOMER' });
  });

  it('answers SERVICE_UNAVAILABLE (503), not UNAUTHENTICATED, when the key set cannot be fetched', async () => {
    const { key } = await generateSigningKey();
    const jwks = await jwksServer(jwksOf([key.publicJwk]));
    await jwks.close();
    const verifier = createTokenVerifier(
      { jwksUrl: jwks.url, issuer, audience },
      { timeoutSeconds: 2 },
    );
    const error = await verifier.verify(await issue(key)).catch((caught: GraphQLError) => caught);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      http: { status: 503 },
    });
  });
});

describe('test authority', () => {
  it('issues tokens its verifier accepts and another authority rejects', async () => {
    const authority = await createTestAuthority();
    const other = await createTestAuthority();
    const token = await authority.tokenFor({ userId: 'u-9', role: 'ADMIN' });
    expect(await authority.verifier.verify(token)).toEqual({ userId: 'u-9', role: 'ADMIN' });
    expect(await codeOf(other.verifier, token)).toBe('UNAUTHENTICATED');
  });
});

describe('token verifier: remembered tokens', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { key } = await generateSigningKey();
    const verifier = createLocalTokenVerifier(jwksOf([key.publicJwk]), { issuer, audience });
    const token = await issue(key);
    expect(await codeOf(verifier, token)).toBe('ACCEPTED');
    vi.setSystemTime(Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 6) * 1000);
    expect(await codeOf(verifier, token)).toBe('UNAUTHENTICATED');
  });

  it('verifies a remembered token afresh after a minute: a withdrawn key stops working', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { key: withdrawn } = await generateSigningKey();
    const { key: current } = await generateSigningKey();
    const jwks = await jwksServer(jwksOf([withdrawn.publicJwk]));
    try {
      const verifier = createTokenVerifier(
        { jwksUrl: jwks.url, issuer, audience },
        { cacheMaxAgeSeconds: 30, cooldownSeconds: 0 },
      );
      const token = await issue(withdrawn);
      expect(await codeOf(verifier, token)).toBe('ACCEPTED');
      jwks.publish(jwksOf([current.publicJwk]));
      // Remembered: no signature check, no key lookup.
      expect(await codeOf(verifier, token)).toBe('ACCEPTED');
      expect(jwks.fetches()).toBe(1);
      vi.setSystemTime(Date.now() + 61_000);
      expect(await codeOf(verifier, token)).toBe('UNAUTHENTICATED');
      expect(jwks.fetches()).toBeGreaterThan(1);
    } finally {
      await jwks.close();
    }
  });
});
