import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangePasswordDocument,
  createClient,
  LogInDocument,
  MeDocument,
  RefreshTokenDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  SendVerificationEmailDocument,
  SignUpDocument,
  VerifyEmailDocument,
  type Client,
} from '@microshop/client';
import { startStack, type Stack } from '@microshop/e2e';
import { waitFor } from '@microshop/testing';

/**
 * Accounts as a storefront meets them, through the gateway with the typed client: password reset
 * and email verification with the links read from the development mailer (GET /dev/mail of the
 * users subgraph; each mail went outbox -> relay -> Kafka -> the users-mail consumer -> Mailer),
 * and a change of password that ends the account's other sessions.
 */

let stack: Stack;
let anonymous: Client;

beforeAll(async () => {
  stack = await startStack();
  anonymous = createClient({ url: stack.gatewayUrl });
});

afterAll(async () => {
  await stack?.close();
});

const RESET_SUBJECT = 'Reset your MicroShop password';
const VERIFY_SUBJECT = 'Confirm your email address for MicroShop';

interface Mail {
  subject: string;
  text: string;
}

/** The token in the link of the `nth` mail (1 = the first) with `subject` sent to `email`. */
async function mailedToken(email: string, subject: string, nth = 1): Promise<string> {
  const mailbox = new URL('/dev/mail', stack.config.subgraphUrls.users);
  mailbox.searchParams.set('to', email);
  const mail = await waitFor(`mail ${nth} "${subject}" to ${email}`, async () => {
    const { messages } = (await (await fetch(mailbox)).json()) as { messages: Mail[] };
    // Newest first: the nth sent is nth from the end.
    const matching = messages.filter((message) => message.subject === subject).reverse();
    return matching[nth - 1];
  });
  const token = /\?token=([\w-]+)/.exec(mail.text)?.[1];
  expect(token).toBeTruthy();
  return token!;
}

async function signUp(): Promise<{
  email: string;
  password: string;
  client: Client;
  refreshToken: string;
}> {
  const email = `account-${randomUUID()}@example.com`;
  const password = `Pw-${randomUUID()}`;
  const { signUp } = await anonymous.request(SignUpDocument, {
    input: { email, password, name: 'Ada' },
  });
  expect(signUp.userErrors).toEqual([]);
  return {
    email,
    password,
    client: createClient({ url: stack.gatewayUrl, token: signUp.accessToken! }),
    refreshToken: signUp.refreshToken!,
  };
}

const logIn = async (email: string, password: string) =>
  (await anonymous.request(LogInDocument, { input: { email, password } })).logIn;
const refresh = async (refreshToken: string) =>
  (await anonymous.request(RefreshTokenDocument, { refreshToken })).refreshToken;
const errorCodes = (payload: { userErrors: { errorCode: string }[] }) =>
  payload.userErrors.map((error) => error.errorCode);

describe('password reset', () => {
  let account: Awaited<ReturnType<typeof signUp>>;
  let firstToken: string;
  const newPassword = 'Reset-by-mail-42';

  beforeAll(async () => {
    account = await signUp();
  });

  it('answers the same for an unknown address (no account enumeration)', async () => {
    const known = await anonymous.request(RequestPasswordResetDocument, { email: account.email });
    const unknown = await anonymous.request(RequestPasswordResetDocument, {
      email: `nobody-${randomUUID()}@example.com`,
    });
    expect(known.requestPasswordReset).toEqual({ accepted: true, userErrors: [] });
    expect(unknown).toEqual(known);
  });

  it('resets the password with the mailed link and ends every session', async () => {
    firstToken = await mailedToken(account.email, RESET_SUBJECT);
    const { resetPassword } = await anonymous.request(ResetPasswordDocument, {
      token: firstToken,
      newPassword,
    });
    expect(resetPassword.userErrors).toEqual([]);
    expect(resetPassword.user).toMatchObject({ email: account.email, emailVerified: true });

    expect(errorCodes(await refresh(account.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(errorCodes(await logIn(account.email, account.password))).toEqual([
      'INVALID_CREDENTIALS',
    ]);
    expect((await logIn(account.email, newPassword)).accessToken).toBeTruthy();
  });

  it('refuses the same token again (TOKEN_USED), changing nothing', async () => {
    const { resetPassword } = await anonymous.request(ResetPasswordDocument, {
      token: firstToken,
      newPassword: 'Second-try-password-7',
    });
    expect(resetPassword.user).toBeNull();
    expect(errorCodes(resetPassword)).toEqual(['TOKEN_USED']);
    expect((await logIn(account.email, newPassword)).accessToken).toBeTruthy();
  });

  it('refuses an expired token (TOKEN_EXPIRED), changing nothing', async () => {
    await anonymous.request(RequestPasswordResetDocument, { email: account.email });
    const token = await mailedToken(account.email, RESET_SUBJECT, 2);
    // The token's hour passes: its stored expiry is moved into the past.
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const { count } = await stack.db.prisma.accountToken.updateMany({
      where: { tokenHash },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    expect(count).toBe(1);
    const { resetPassword } = await anonymous.request(ResetPasswordDocument, {
      token,
      newPassword: 'Too-late-password-8',
    });
    expect(errorCodes(resetPassword)).toEqual(['TOKEN_EXPIRED']);
    expect((await logIn(account.email, newPassword)).accessToken).toBeTruthy();
  });

  it('refuses a token that was never mailed (INVALID_TOKEN)', async () => {
    const { resetPassword } = await anonymous.request(ResetPasswordDocument, {
      token: 'not-a-token',
      newPassword: 'Unused-password-3',
    });
    expect(errorCodes(resetPassword)).toEqual(['INVALID_TOKEN']);
  });
});

describe('change of password', () => {
  it("ends the account's other sessions while the caller's keeps working", async () => {
    const here = await signUp();
    const elsewhere = await logIn(here.email, here.password);
    expect(elsewhere.refreshToken).toBeTruthy();

    const { changePassword: wrong } = await here.client.request(ChangePasswordDocument, {
      currentPassword: 'Not-the-password-1',
      newPassword: 'Changed-password-9',
    });
    expect(errorCodes(wrong)).toEqual(['WRONG_PASSWORD']);
    const { changePassword: weak } = await here.client.request(ChangePasswordDocument, {
      currentPassword: here.password,
      newPassword: 'short',
    });
    expect(errorCodes(weak)).toEqual(['WEAK_PASSWORD']);

    const { changePassword } = await here.client.request(ChangePasswordDocument, {
      currentPassword: here.password,
      newPassword: 'Changed-password-9',
    });
    expect(changePassword.userErrors).toEqual([]);

    expect(errorCodes(await refresh(elsewhere.refreshToken!))).toEqual(['INVALID_REFRESH_TOKEN']);
    const renewed = await refresh(here.refreshToken);
    expect(renewed.userErrors).toEqual([]);
    expect((await here.client.request(MeDocument)).me?.email).toBe(here.email);
    expect((await logIn(here.email, 'Changed-password-9')).accessToken).toBeTruthy();
  });

  it('needs a signed-in caller', async () => {
    const response = await anonymous.execute(ChangePasswordDocument, {
      currentPassword: 'x',
      newPassword: 'Changed-password-9',
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('email verification', () => {
  it('verifies the address with the link mailed at sign-up, once', async () => {
    const account = await signUp();
    expect((await account.client.request(MeDocument)).me).toMatchObject({
      emailVerified: false,
      emailVerifiedAt: null,
    });

    const token = await mailedToken(account.email, VERIFY_SUBJECT);
    const { verifyEmail } = await anonymous.request(VerifyEmailDocument, { token });
    expect(verifyEmail.userErrors).toEqual([]);
    expect(verifyEmail.user?.emailVerified).toBe(true);
    expect((await account.client.request(MeDocument)).me?.emailVerified).toBe(true);

    const again = await anonymous.request(VerifyEmailDocument, { token });
    expect(errorCodes(again.verifyEmail)).toEqual(['TOKEN_USED']);
    const resend = await account.client.request(SendVerificationEmailDocument);
    expect(resend.sendVerificationEmail).toMatchObject({ accepted: false });
    expect(errorCodes(resend.sendVerificationEmail)).toEqual(['EMAIL_ALREADY_VERIFIED']);
  });

  it('mails a new link on request, which verifies too', async () => {
    const account = await signUp();
    const { sendVerificationEmail } = await account.client.request(SendVerificationEmailDocument);
    expect(sendVerificationEmail).toEqual({ accepted: true, userErrors: [] });
    const token = await mailedToken(account.email, VERIFY_SUBJECT, 2);
    const { verifyEmail } = await anonymous.request(VerifyEmailDocument, { token });
    expect(verifyEmail.user?.emailVerified).toBe(true);
  });
});
