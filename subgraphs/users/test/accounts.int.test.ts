import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent } from '@microshop/events';
import { DevelopmentMailer } from '@microshop/mail';
import { createLogger } from '@microshop/runtime';
import { AccountMailDelivery } from '../src/account-mail.ts';
import { hashOpaqueToken } from '../src/opaque-token.ts';
import { UserRepository } from '../src/user.repository.ts';
import {
  bearer,
  LOG_IN,
  REFRESH,
  SIGN_UP,
  startUsersForTest,
  type AuthPayloadShape,
  type UsersUnderTest,
} from './harness.ts';

/** Finer rules of password reset, email verification and change of password, on the subgraph alone. */

let users: UsersUnderTest;
beforeAll(async () => {
  users = await startUsersForTest({
    mailThrottle: { maxPerEmail: 2, maxPerClientAddress: 100, windowSeconds: 60 },
  });
});
afterAll(async () => {
  await users?.close();
});

const password = 'correct-horse-battery-9';
const newPassword = 'New-horse-battery-10';

interface UserErrorShape {
  code: string;
  field: string[] | null;
}
interface AccountPayloadShape {
  user: { id: string; emailVerified: boolean; emailVerifiedAt: string | null } | null;
  userErrors: UserErrorShape[];
}
interface MailRequestShape {
  accepted: boolean;
  userErrors: UserErrorShape[];
}

const ACCOUNT = 'user { id emailVerified emailVerifiedAt } userErrors { code field }';
const REQUEST_RESET = `mutation ($email: String!) { requestPasswordReset(email: $email) { accepted userErrors { code field } } }`;
const RESET = `mutation ($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) { ${ACCOUNT} } }`;
const SEND_VERIFICATION = `mutation { sendVerificationEmail { accepted userErrors { code field } } }`;
const VERIFY = `mutation ($token: String!) { verifyEmail(token: $token) { ${ACCOUNT} } }`;
const CHANGE = `mutation ($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ${ACCOUNT} } }`;

async function call<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await users.gql<Record<string, T>>(query, variables, token ? bearer(token) : {});
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

const signUp = (email: string) =>
  call<AuthPayloadShape>(SIGN_UP, { input: { email, password, name: 'Ada' } });
const logIn = (email: string, withPassword: string) =>
  call<AuthPayloadShape>(LOG_IN, { input: { email, password: withPassword } });
const refresh = (token: string) => call<AuthPayloadShape>(REFRESH, { token });
const requestReset = (email: string) => call<MailRequestShape>(REQUEST_RESET, { email });
const reset = (token: string, next = newPassword) =>
  call<AccountPayloadShape>(RESET, { token, newPassword: next });
const codes = (payload: { userErrors: UserErrorShape[] }) =>
  payload.userErrors.map((error) => error.code);

async function resetTokenFor(email: string): Promise<string> {
  expect(await requestReset(email)).toEqual({ accepted: true, userErrors: [] });
  const [token] = await users.mailedTokens(email, 'PASSWORD_RESET');
  return token!;
}

async function passwordHashOf(email: string): Promise<string> {
  const row = await users.database.prisma.user.findUniqueOrThrow({ where: { email } });
  return row.passwordHash;
}

describe('password reset', () => {
  it('answers a known and an unknown address the same, and mails only the known one', async () => {
    await signUp('known@example.com');
    const known = await requestReset('Known@Example.com');
    const unknown = await requestReset('nobody@example.com');
    expect(known).toEqual({ accepted: true, userErrors: [] });
    expect(unknown).toEqual(known);
    expect(await users.mailedTokens('known@example.com', 'PASSWORD_RESET')).toHaveLength(1);
    expect(await users.mailedTokens('nobody@example.com', 'PASSWORD_RESET')).toHaveLength(0);
  });

  it('stores only the hash of a mailed token', async () => {
    await signUp('hash@example.com');
    const token = await resetTokenFor('hash@example.com');
    const rows = await users.database.prisma.accountToken.findMany({
      where: { user: { email: 'hash@example.com' }, purpose: 'PASSWORD_RESET' },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashOpaqueToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('throttles requests per address whether or not an account has it, with the same answer', async () => {
    await signUp('throttled@example.com');
    for (const email of ['throttled@example.com', 'ghost@example.com']) {
      await requestReset(email);
      await requestReset(email);
      const third = await requestReset(email);
      expect(third.accepted).toBe(false);
      expect(codes(third)).toEqual(['TOO_MANY_ATTEMPTS']);
    }
    expect(await users.mailedTokens('throttled@example.com', 'PASSWORD_RESET')).toHaveLength(2);
  });

  it('refuses a malformed address as INVALID_EMAIL', async () => {
    const answer = await requestReset('not-an-address');
    expect(answer).toEqual({
      accepted: false,
      userErrors: [{ code: 'INVALID_EMAIL', field: ['email'] }],
    });
  });

  it('refuses a weak new password without using the token up, then resets with a good one', async () => {
    const { user } = await signUp('weak@example.com');
    const token = await resetTokenFor('weak@example.com');
    const before = await passwordHashOf('weak@example.com');
    for (const [weak, code] of [
      ['short1', 'WEAK_PASSWORD'],
      ['onlylowercaseletters', 'WEAK_PASSWORD'],
      ['Aa1'.repeat(90), 'PASSWORD_TOO_LONG'],
    ] as const) {
      const refusedReset = await reset(token, weak);
      expect(refusedReset).toEqual({
        user: null,
        userErrors: [{ code, field: ['newPassword'] }],
      });
    }
    expect(await passwordHashOf('weak@example.com')).toBe(before);
    const done = await reset(token);
    expect(done.userErrors).toEqual([]);
    expect(done.user).toMatchObject({ id: user!.id, emailVerified: true });
  });

  it('ends every session, voids the other reset tokens, and works once', async () => {
    await signUp('sessions@example.com');
    const first = await logIn('sessions@example.com', password);
    const second = await logIn('sessions@example.com', password);
    const older = await resetTokenFor('sessions@example.com');
    const newer = await resetTokenFor('sessions@example.com');

    expect((await reset(newer)).userErrors).toEqual([]);
    for (const session of [first, second]) {
      expect(codes(await refresh(session.refreshToken!))).toEqual(['INVALID_REFRESH_TOKEN']);
    }
    expect(codes(await logIn('sessions@example.com', password))).toEqual(['INVALID_CREDENTIALS']);
    expect((await logIn('sessions@example.com', newPassword)).accessToken).toBeTruthy();

    const hash = await passwordHashOf('sessions@example.com');
    expect(await reset(newer, 'Another-password-11')).toEqual({
      user: null,
      userErrors: [{ code: 'TOKEN_USED', field: ['token'] }],
    });
    expect(codes(await reset(older, 'Another-password-11'))).toEqual(['TOKEN_USED']);
    expect(await passwordHashOf('sessions@example.com')).toBe(hash);
  });

  it('refuses an expired token, changing nothing', async () => {
    await signUp('expired@example.com');
    const token = await resetTokenFor('expired@example.com');
    await users.database.prisma.accountToken.updateMany({
      where: { tokenHash: hashOpaqueToken(token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const before = await passwordHashOf('expired@example.com');
    expect(await reset(token)).toEqual({
      user: null,
      userErrors: [{ code: 'TOKEN_EXPIRED', field: ['token'] }],
    });
    expect(await passwordHashOf('expired@example.com')).toBe(before);
  });

  it('refuses an unknown token and a verification token as INVALID_TOKEN', async () => {
    await signUp('wrong-kind@example.com');
    const [verification] = await users.mailedTokens('wrong-kind@example.com', 'EMAIL_VERIFICATION');
    for (const token of ['made-up', verification!]) {
      expect(codes(await reset(token))).toEqual(['INVALID_TOKEN']);
    }
  });

  it('lets exactly one of two concurrent uses of a token win', async () => {
    await signUp('race@example.com');
    const token = await resetTokenFor('race@example.com');
    const answers = await Promise.all([
      reset(token, 'Racer-one-password-1'),
      reset(token, 'Racer-two-password-2'),
    ]);
    expect(answers.map(codes).sort()).toEqual([[], ['TOKEN_USED']]);
  });
});

describe('email verification', () => {
  it('mails a token at sign-up; verifyEmail marks the address verified, once', async () => {
    const session = await signUp('verify@example.com');
    expect(session.user).toBeTruthy();
    const me = await users.gql<{ me: { emailVerified: boolean; emailVerifiedAt: null } }>(
      '{ me { emailVerified emailVerifiedAt } }',
      {},
      bearer(session.accessToken!),
    );
    expect(me.body.data!.me).toEqual({ emailVerified: false, emailVerifiedAt: null });

    const [token] = await users.mailedTokens('verify@example.com', 'EMAIL_VERIFICATION');
    const verified = await call<AccountPayloadShape>(VERIFY, { token });
    expect(verified.userErrors).toEqual([]);
    expect(verified.user!.emailVerified).toBe(true);
    expect(Date.parse(verified.user!.emailVerifiedAt!)).toBeLessThanOrEqual(Date.now());

    expect(codes(await call<AccountPayloadShape>(VERIFY, { token }))).toEqual(['TOKEN_USED']);
    const again = await call<MailRequestShape>(SEND_VERIFICATION, {}, session.accessToken!);
    expect(again).toEqual({
      accepted: false,
      userErrors: [{ code: 'EMAIL_ALREADY_VERIFIED', field: null }],
    });
  });

  it('mails a new token on request, for the signed-in caller only', async () => {
    const session = await signUp('resend@example.com');
    const sent = await call<MailRequestShape>(SEND_VERIFICATION, {}, session.accessToken!);
    expect(sent).toEqual({ accepted: true, userErrors: [] });
    expect(await users.mailedTokens('resend@example.com', 'EMAIL_VERIFICATION')).toHaveLength(2);

    const anonymous = await users.gql(SEND_VERIFICATION);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired verification token, leaving the address unverified', async () => {
    const session = await signUp('late@example.com');
    const [token] = await users.mailedTokens('late@example.com', 'EMAIL_VERIFICATION');
    await users.database.prisma.accountToken.updateMany({
      where: { tokenHash: hashOpaqueToken(token!) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(codes(await call<AccountPayloadShape>(VERIFY, { token }))).toEqual(['TOKEN_EXPIRED']);
    const row = await users.database.prisma.user.findUniqueOrThrow({
      where: { id: session.user!.id },
    });
    expect(row.emailVerifiedAt).toBeNull();
  });
});

describe('change of password', () => {
  const change = (accessToken: string, currentPassword: string, next = newPassword) =>
    call<AccountPayloadShape>(CHANGE, { currentPassword, newPassword: next }, accessToken);

  it('refuses a wrong current password and a weak new one, changing nothing', async () => {
    const session = await signUp('change-refused@example.com');
    const before = await passwordHashOf('change-refused@example.com');
    expect(await change(session.accessToken!, 'not-my-password-1')).toEqual({
      user: null,
      userErrors: [{ code: 'WRONG_PASSWORD', field: ['currentPassword'] }],
    });
    expect(await change(session.accessToken!, password, 'weakpassword')).toEqual({
      user: null,
      userErrors: [{ code: 'WEAK_PASSWORD', field: ['newPassword'] }],
    });
    expect(await passwordHashOf('change-refused@example.com')).toBe(before);
    expect((await refresh(session.refreshToken!)).accessToken).toBeTruthy();
  });

  it("ends the account's other sessions and keeps the caller's", async () => {
    const mine = await signUp('change@example.com');
    const other = await logIn('change@example.com', password);
    const changed = await change(mine.accessToken!, password);
    expect(changed.userErrors).toEqual([]);

    expect(codes(await refresh(other.refreshToken!))).toEqual(['INVALID_REFRESH_TOKEN']);
    const renewed = await refresh(mine.refreshToken!);
    expect(renewed.userErrors).toEqual([]);
    // The renewed access token still names the kept sign-in: a second change keeps it again.
    expect(
      (await change(renewed.accessToken!, newPassword, 'Third-password-12')).userErrors,
    ).toEqual([]);
    expect((await refresh(renewed.refreshToken!)).userErrors).toEqual([]);
    expect((await logIn('change@example.com', 'Third-password-12')).accessToken).toBeTruthy();
  });

  it('requires a signed-in caller', async () => {
    const anonymous = await users.gql(CHANGE, { currentPassword: password, newPassword });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('account mail delivery (the users-mail consumer)', () => {
  const mailbox = () => new DevelopmentMailer(users.database.prisma);
  const delivery = () =>
    new AccountMailDelivery({
      mailer: mailbox(),
      users: new UserRepository(users.database.prisma),
      storefrontUrl: 'https://shop.example',
    });

  async function deliverLatest(email: string): Promise<void> {
    const rows = await users.database.prisma.outboxEvent.findMany({
      where: { type: 'AccountEmailRequested' },
      orderBy: { sequence: 'desc' },
    });
    const row = rows.find(
      (candidate) => (candidate.envelope as { payload: { email: string } }).payload.email === email,
    );
    const event = parseEvent(row!.envelope);
    await users.database.prisma.$transaction((tx) =>
      delivery().handleAccountEmailRequested(tx, event, {
        topic: 'users',
        key: event.aggregateId,
        attempt: 1,
        log: createLogger('users-test', { logLevel: 'silent' }),
      }),
    );
  }

  it('mails the link to the storefront page for the token', async () => {
    await signUp('mailed@example.com');
    const token = await resetTokenFor('mailed@example.com');
    await deliverLatest('mailed@example.com');
    const [mail] = await mailbox().list({ to: 'mailed@example.com' });
    expect(mail!.subject).toBe('Reset your MicroShop password');
    expect(mail!.text).toContain(`https://shop.example/reset-password?token=${token}`);
  });

  it('does not mail a token that was used meanwhile', async () => {
    await signUp('used-before-mail@example.com');
    const token = await resetTokenFor('used-before-mail@example.com');
    await reset(token);
    await deliverLatest('used-before-mail@example.com');
    expect(await mailbox().list({ to: 'used-before-mail@example.com' })).toEqual([]);
  });
});
