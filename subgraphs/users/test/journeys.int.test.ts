import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalTokenVerifier, createTokenVerifier, jwksOf } from '@microshop/auth';
import { ensureAdmin } from '../src/admin.ts';
import { verifyPassword } from '../src/password.ts';
import {
  audience,
  bearer,
  issuer,
  LOG_IN,
  LOG_OUT,
  ME,
  REFRESH,
  SIGN_UP,
  startUsersForTest,
  type AuthPayloadShape,
  type UsersUnderTest,
} from './harness.ts';

let users: UsersUnderTest;
beforeAll(async () => {
  users = await startUsersForTest();
});
afterAll(async () => {
  await users?.close();
});

const password = 'correct-horse-battery-9';

async function signUp(email: string, name = 'Ada Lovelace'): Promise<AuthPayloadShape> {
  const response = await users.gql<{ signUp: AuthPayloadShape }>(SIGN_UP, {
    input: { email, password, name },
  });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.signUp;
}

async function refresh(token: string): Promise<AuthPayloadShape> {
  const response = await users.gql<{ refreshToken: AuthPayloadShape }>(REFRESH, { token });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.refreshToken;
}

describe('users journeys', () => {
  it('signs up, then answers me with the access token and null without one', async () => {
    const session = await signUp('  Ada@Example.COM ');
    expect(session.userErrors).toEqual([]);
    expect(session.user).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      role: 'CUSTOMER',
    });
    expect(session.expiresIn).toBe(900);
    expect(session.refreshToken).toMatch(/^[\w-]{43}$/);

    const me = await users.gql<{ me: AuthPayloadShape['user'] }>(
      ME,
      {},
      bearer(session.accessToken!),
    );
    expect(me.body.data?.me).toEqual(session.user);
    const anonymous = await users.gql<{ me: unknown }>(ME);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data?.me).toBeNull();
  });

  it('issues an EdDSA access token with kid, iss, aud, sub, role, sid, iat and a 15-minute exp', async () => {
    const session = await signUp('claims@example.com');
    const [header, payload] = session
      .accessToken!.split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'EdDSA', kid: users.key.kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({
      iss: issuer,
      aud: audience,
      sub: session.user!.id,
      role: 'CUSTOMER',
    });
    // sid: the sign-in (refresh-token family) it belongs to, which changePassword keeps alive.
    const [family] = await users.database.prisma.refreshToken.findMany({
      where: { userId: session.user!.id },
    });
    expect(payload.sid).toBe(family!.familyId);
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('stores a scrypt hash with its parameters and a per-user salt, never the password', async () => {
    await signUp('salt-1@example.com');
    await signUp('salt-2@example.com');
    const rows = await users.database.prisma.user.findMany({
      where: { email: { in: ['salt-1@example.com', 'salt-2@example.com'] } },
    });
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row.passwordHash).toMatch(/^\$scrypt\$ln=\d+,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(rows[0]!.passwordHash).not.toBe(rows[1]!.passwordHash);
    expect(JSON.stringify(rows)).not.toContain(password);
  });

  it('logs in with any capitalisation of the email; a wrong password and an unknown email get the same answer', async () => {
    await signUp('grace@example.com', 'Grace Hopper');
    const ok = await users.gql<{ logIn: AuthPayloadShape }>(LOG_IN, {
      input: { email: 'GRACE@example.com', password },
    });
    expect(ok.body.data?.logIn.userErrors).toEqual([]);
    expect(ok.body.data?.logIn.user?.name).toBe('Grace Hopper');

    const wrongPassword = await users.gql<{ logIn: AuthPayloadShape }>(LOG_IN, {
      input: { email: 'grace@example.com', password: 'not-the-password-1' },
    });
    const unknownEmail = await users.gql<{ logIn: AuthPayloadShape }>(LOG_IN, {
      input: { email: 'nobody@example.com', password: 'not-the-password-1' },
    });
    expect(wrongPassword.body.data?.logIn).toEqual(unknownEmail.body.data?.logIn);
    expect(wrongPassword.body.data?.logIn).toMatchObject({
      accessToken: null,
      refreshToken: null,
      user: null,
      userErrors: [{ code: 'INVALID_CREDENTIALS' }],
    });
  });

  it('rehashes a password made with other scrypt parameters at the next successful logIn', async () => {
    await ensureAdmin(users.database.prisma, {
      email: 'legacy@example.com',
      password,
      scrypt: { logN: 11, r: 8, p: 1 },
    });
    const where = { email: 'legacy@example.com' };
    const before = await users.database.prisma.user.findUniqueOrThrow({ where });
    expect(before.passwordHash).toMatch(/^\$scrypt\$ln=11,/);
    const session = await users.gql<{ logIn: AuthPayloadShape }>(LOG_IN, {
      input: { email: 'legacy@example.com', password },
    });
    expect(session.body.data?.logIn.user?.role).toBe('ADMIN');
    const after = await users.database.prisma.user.findUniqueOrThrow({ where });
    expect(after.passwordHash).toMatch(/^\$scrypt\$ln=10,/);
    expect(await verifyPassword(password, after.passwordHash)).toBe(true);
  });

  it('rotates the refresh token on every use', async () => {
    const session = await signUp('rotate@example.com');
    const first = await refresh(session.refreshToken!);
    expect(first.userErrors).toEqual([]);
    expect(first.refreshToken).not.toBe(session.refreshToken);
    expect(first.user?.id).toBe(session.user?.id);
    const me = await users.gql<{ me: { id: string } }>(ME, {}, bearer(first.accessToken!));
    expect(me.body.data?.me.id).toBe(session.user?.id);
    const second = await refresh(first.refreshToken!);
    expect(second.userErrors).toEqual([]);
  });

  it('revokes the whole family when an already-rotated refresh token is presented again', async () => {
    const session = await signUp('stolen@example.com');
    const legitimate = await refresh(session.refreshToken!);
    expect(legitimate.userErrors).toEqual([]);

    const replay = await refresh(session.refreshToken!);
    expect(replay.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_REFRESH_TOKEN' })]);
    expect(replay.accessToken).toBeNull();
    // The thief's replay also ends the legitimate holder's newer token.
    const afterTheft = await refresh(legitimate.refreshToken!);
    expect(afterTheft.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_REFRESH_TOKEN' }),
    ]);
    const live = await users.database.prisma.refreshToken.count({
      where: { userId: session.user!.id, revokedAt: null },
    });
    expect(live).toBe(0);
  });

  it('lets exactly one of two concurrent uses of a refresh token win, then revokes the family', async () => {
    const session = await signUp('race@example.com');
    const results = await Promise.all([
      refresh(session.refreshToken!),
      refresh(session.refreshToken!),
    ]);
    const winners = results.filter((result) => result.userErrors.length === 0);
    expect(winners.length).toBeLessThanOrEqual(1);
    const live = await users.database.prisma.refreshToken.count({
      where: { userId: session.user!.id, revokedAt: null },
    });
    expect(live).toBe(0);
  });

  it('logs out: the refresh token and its family stop working; an unknown token answers false', async () => {
    const session = await signUp('bye@example.com');
    const rotated = await refresh(session.refreshToken!);
    const loggedOut = await users.gql<{ logOut: boolean }>(LOG_OUT, {
      token: rotated.refreshToken,
    });
    expect(loggedOut.body.data?.logOut).toBe(true);
    const after = await refresh(rotated.refreshToken!);
    expect(after.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_REFRESH_TOKEN' })]);
    const unknown = await users.gql<{ logOut: boolean }>(LOG_OUT, { token: 'never-issued' });
    expect(unknown.body.data?.logOut).toBe(false);
  });

  it('refuses an unknown refresh token', async () => {
    const result = await refresh('x'.repeat(43));
    expect(result).toMatchObject({
      accessToken: null,
      userErrors: [{ code: 'INVALID_REFRESH_TOKEN', field: ['refreshToken'] }],
    });
  });

  it('serves its public key at /.well-known/jwks.json, which verifies its tokens remotely', async () => {
    const response = await fetch(users.jwksUrl);
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: users.key.kid,
        alg: 'EdDSA',
        use: 'sig',
      },
    ]);
    expect(JSON.stringify(jwks)).not.toContain('"d"');

    const session = await signUp('jwks@example.com');
    const remote = createTokenVerifier({ jwksUrl: users.jwksUrl, issuer, audience });
    expect(await remote.verify(session.accessToken!)).toEqual({
      userId: session.user!.id,
      role: 'CUSTOMER',
      sessionId: expect.any(String),
    });
    const local = createLocalTokenVerifier(jwksOf([users.key.publicJwk]), { issuer, audience });
    expect(await local.verify(session.accessToken!)).toEqual({
      userId: session.user!.id,
      role: 'CUSTOMER',
      sessionId: expect.any(String),
    });
  });
});
