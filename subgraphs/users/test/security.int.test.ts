import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgedTokens } from '@microshop/auth/testing';
import {
  audience,
  bearer,
  issuer,
  LOG_IN,
  ME,
  SIGN_UP,
  startUsersForTest,
  type AuthPayloadShape,
  type UsersUnderTest,
} from './harness.ts';

const WINDOW_SECONDS = 2;
let users: UsersUnderTest;
let forged: Record<string, string>;

beforeAll(async () => {
  users = await startUsersForTest({
    loginThrottle: {
      maxFailuresPerEmail: 3,
      maxFailuresPerAddress: 6,
      windowSeconds: WINDOW_SECONDS,
    },
  });
  forged = await forgedTokens({ key: users.key, issuer, audience });
});
afterAll(async () => {
  await users?.close();
});

const password = 'Sturdy-passw0rd';
const signUp = (input: { email: string; password: string; name: string }) =>
  users.gql<{ signUp: AuthPayloadShape }>(SIGN_UP, { input });
const logIn = (email: string, attempt: string, address = '203.0.113.1') =>
  users.gql<{ logIn: AuthPayloadShape }>(
    LOG_IN,
    { input: { email, password: attempt } },
    { 'x-forwarded-for': `${address}, 10.0.0.1` },
  );

describe('forged and defective access tokens over HTTP', () => {
  it('accepts the baseline: a token the service issued', async () => {
    const session = await signUp({ email: 'baseline@example.com', password, name: 'Base' });
    const me = await users.gql<{ me: { email: string } }>(
      ME,
      {},
      bearer(session.body.data!.signUp.accessToken!),
    );
    expect(me.status).toBe(200);
    expect(me.body.data?.me.email).toBe('baseline@example.com');
  });

  it.each([
    'alg none',
    'HS256 signed with the public key as the secret',
    'expired',
    'not yet valid (nbf)',
    'wrong issuer',
    'wrong audience',
    'payload tampered after signing',
    'unknown kid',
    'right kid, different key',
    'malformed header',
    'not a JWT at all',
    'no role claim',
    'unknown role',
    'no subject',
    'not an access token (typ JWT)',
  ])('answers %s with HTTP 401 and UNAUTHENTICATED', async (attack) => {
    const response = await users.gql(ME, {}, bearer(forged[attack] as string));
    expect(response.status).toBe(401);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a malformed Authorization header with HTTP 401 and UNAUTHENTICATED', async () => {
    const response = await users.gql(ME, {}, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('bad sign-up input: a clear userError, nothing stored', () => {
  const MEGABYTE_PASSWORD = `Aa1${'x'.repeat(1024 * 1024)}`;
  it.each([
    {
      case: 'invalid email',
      input: { email: 'not-an-email', password, name: 'X' },
      code: 'INVALID_EMAIL',
      field: 'email',
    },
    {
      case: 'short password',
      input: { email: 'short@example.com', password: 'Ab1!', name: 'X' },
      code: 'WEAK_PASSWORD',
      field: 'password',
    },
    {
      case: 'one character class',
      input: { email: 'lower@example.com', password: 'onlylowercaseletters', name: 'X' },
      code: 'WEAK_PASSWORD',
      field: 'password',
    },
    {
      case: '1 MB password',
      input: { email: 'huge@example.com', password: MEGABYTE_PASSWORD, name: 'X' },
      code: 'PASSWORD_TOO_LONG',
      field: 'password',
    },
    {
      case: 'blank name',
      input: { email: 'blank@example.com', password, name: '   ' },
      code: 'INVALID_NAME',
      field: 'name',
    },
  ])('$case', async ({ input, code, field }) => {
    const before = await users.database.prisma.user.count();
    const response = await signUp(input);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.signUp).toMatchObject({ accessToken: null, user: null });
    expect(response.body.data?.signUp.userErrors).toEqual([
      { code, field: ['input', field], message: expect.any(String) },
    ]);
    expect(await users.database.prisma.user.count()).toBe(before);
  });

  it('duplicate email, whatever its case', async () => {
    const first = await signUp({ email: 'dup@example.com', password, name: 'First' });
    expect(first.body.data?.signUp.userErrors).toEqual([]);
    const before = await users.database.prisma.user.count();
    const second = await signUp({ email: 'DUP@Example.com', password, name: 'Second' });
    expect(second.body.data?.signUp.userErrors).toEqual([
      { code: 'EMAIL_TAKEN', field: ['input', 'email'], message: expect.any(String) },
    ]);
    expect(await users.database.prisma.user.count()).toBe(before);
  });

  it('a 1 MB password at logIn is refused without a crash', async () => {
    const response = await logIn('nobody-at-all@example.com', MEGABYTE_PASSWORD, '198.51.100.200');
    expect(response.status).toBe(200);
    expect(response.body.data?.logIn.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_CREDENTIALS' }),
    ]);
  });
});

describe('brute-force protection', () => {
  const sleepPastWindow = () =>
    new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000 + 300));

  it('refuses the 4th attempt after 3 failures even with the right password, and allows it after the window', async () => {
    const email = 'target@example.com';
    await signUp({ email, password, name: 'Target' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const failed = await logIn(email, `Wrong-guess-${attempt}`, `192.0.2.${attempt}`);
      expect(failed.body.data?.logIn.userErrors[0]?.code).toBe('INVALID_CREDENTIALS');
    }
    const refused = await logIn(email, password, '192.0.2.99');
    expect(refused.body.data?.logIn).toMatchObject({
      accessToken: null,
      userErrors: [{ code: 'TOO_MANY_ATTEMPTS' }],
    });

    await sleepPastWindow();
    const allowed = await logIn(email, password, '192.0.2.99');
    expect(allowed.body.data?.logIn.userErrors).toEqual([]);
    expect(allowed.body.data?.logIn.accessToken).toEqual(expect.any(String));
  });

  it('does not let a burst of parallel guesses past the per-email limit', async () => {
    const email = 'burst@example.com';
    await signUp({ email, password, name: 'Burst' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, attempt) =>
        logIn(email, `Parallel-guess-${attempt}`, `192.0.2.${100 + attempt}`),
      ),
    );
    const codes = results.map((result) => result.body.data?.logIn.userErrors[0]?.code);
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(3);
    expect(codes.filter((code) => code === 'TOO_MANY_ATTEMPTS')).toHaveLength(5);
  });

  it('limits failures per client address across many emails', async () => {
    const email = 'victim-of-spray@example.com';
    await signUp({ email, password, name: 'Victim' });
    const address = '198.51.100.7';
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const failed = await logIn(`spray-${attempt}@example.com`, 'Whatever-guess-1', address);
      expect(failed.body.data?.logIn.userErrors[0]?.code).toBe('INVALID_CREDENTIALS');
    }
    const fromSameAddress = await logIn(email, password, address);
    expect(fromSameAddress.body.data?.logIn.userErrors[0]?.code).toBe('TOO_MANY_ATTEMPTS');
    const fromElsewhere = await logIn(email, password, '198.51.100.8');
    expect(fromElsewhere.body.data?.logIn.userErrors).toEqual([]);
  });
});
