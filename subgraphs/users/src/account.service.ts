import { requireUser } from '@microshop/auth';
import { userError, type RequestContext, type UserError } from '@microshop/runtime';
import {
  pendingAccountMail,
  type AccountTokenLifetimes,
  type AccountTokenPurpose,
} from './account-mail.ts';
import { isValidEmail, normalizeEmail } from './auth.service.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { UserLoaders } from './loaders.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { MailThrottle } from './mail-throttle.ts';
import { hashOpaqueToken } from './opaque-token.ts';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  passwordPolicyViolation,
  verifyPassword,
  type ScryptParameters,
} from './password.ts';
import type { AccountTokenRecord, UserRecord, UserRepository } from './user.repository.ts';

type UsersUserError = UserError<UserErrorCode>;

/** What resetPassword, verifyEmail and changePassword return: the account, or why nothing changed. */
export interface AccountResult {
  user: UserRecord | null;
  userErrors: UsersUserError[];
}

/** What the mail requests return; `accepted` says nothing about whether the account exists. */
export interface MailRequestResult {
  accepted: boolean;
  userErrors: UsersUserError[];
}

const refused = (...userErrors: UsersUserError[]): AccountResult => ({ user: null, userErrors });

const TOO_MANY_MAIL_REQUESTS = userError(
  UserErrorCode.TOO_MANY_ATTEMPTS,
  'Too many mails were asked for. Wait a few minutes and try again.',
);

export interface AccountServiceDeps {
  users: UserRepository;
  mailThrottle: MailThrottle;
  /** Wrong current passwords in changePassword count as failed sign-ins. */
  loginThrottle: LoginThrottle;
  scrypt: ScryptParameters;
  lifetimes: AccountTokenLifetimes;
}

/**
 * Account recovery and upkeep: password reset and email verification by single-use, expiring
 * mailed tokens (stored only as hashes; each mail written to the outbox with its token, in one
 * transaction), and change of password.
 */
export class AccountService {
  constructor(
    private readonly deps: AccountServiceDeps,
    private readonly loaders: UserLoaders,
  ) {}

  /**
   * Mails a reset link when an account has the address. Unknown and known addresses get the same
   * answer and count the same against the throttle, so the mutation cannot list accounts.
   */
  async requestPasswordReset(ctx: RequestContext, rawEmail: string): Promise<MailRequestResult> {
    const email = normalizeEmail(rawEmail);
    if (!isValidEmail(email)) {
      return {
        accepted: false,
        userErrors: [
          userError(UserErrorCode.INVALID_EMAIL, 'Enter a valid email address.', ['email']),
        ],
      };
    }
    if (!(await this.deps.mailThrottle.allow(email, ctx.clientAddress))) {
      ctx.log.warn({ clientAddress: ctx.clientAddress }, 'password reset refused: throttled');
      return { accepted: false, userErrors: [TOO_MANY_MAIL_REQUESTS] };
    }
    const account = await this.deps.users.findCredentialsByEmail(email);
    if (account) {
      await this.requestMail(ctx, account.user, 'PASSWORD_RESET');
      ctx.log.info({ userId: account.user.id }, 'password reset requested');
    }
    return { accepted: true, userErrors: [] };
  }

  async resetPassword(
    ctx: RequestContext,
    token: string,
    newPassword: string,
  ): Promise<AccountResult> {
    const found = await this.redeemable(token, 'PASSWORD_RESET');
    if ('error' in found) return refused(found.error);
    const weakness = passwordPolicyViolation(newPassword);
    if (weakness) return refused(userError(weakness.code, weakness.message, ['newPassword']));
    const passwordHash = await hashPassword(newPassword, this.deps.scrypt);
    if (!(await this.deps.users.resetPassword(found.token, passwordHash))) {
      return refused(tokenUsed());
    }
    ctx.log.info({ userId: found.token.userId }, 'password reset: every session ended');
    return this.accountOf(found.token.userId);
  }

  /** A new verification mail for the caller's address, unless it is verified already. */
  async sendVerificationEmail(ctx: RequestContext): Promise<MailRequestResult> {
    const principal = requireUser(ctx.principal);
    const user = await this.loaders.userById.load(principal.userId);
    if (!user) return { accepted: false, userErrors: [] };
    if (user.emailVerifiedAt) {
      return {
        accepted: false,
        userErrors: [
          userError(
            UserErrorCode.EMAIL_ALREADY_VERIFIED,
            'This email address is verified already.',
          ),
        ],
      };
    }
    if (!(await this.deps.mailThrottle.allow(user.email, ctx.clientAddress))) {
      return { accepted: false, userErrors: [TOO_MANY_MAIL_REQUESTS] };
    }
    await this.requestMail(ctx, user, 'EMAIL_VERIFICATION');
    return { accepted: true, userErrors: [] };
  }

  async verifyEmail(ctx: RequestContext, token: string): Promise<AccountResult> {
    const found = await this.redeemable(token, 'EMAIL_VERIFICATION');
    if ('error' in found) return refused(found.error);
    if (!(await this.deps.users.verifyEmail(found.token))) return refused(tokenUsed());
    ctx.log.info({ userId: found.token.userId }, 'email address verified');
    return this.accountOf(found.token.userId);
  }

  /**
   * Replaces the caller's password after checking the current one, and ends every other session:
   * all refresh-token families but the one the caller's access token was issued for (its `sid`).
   */
  async changePassword(
    ctx: RequestContext,
    currentPassword: string,
    newPassword: string,
  ): Promise<AccountResult> {
    const principal = requireUser(ctx.principal);
    const [user] = await this.deps.users.findByIds([principal.userId]);
    if (!user) return refused(wrongPassword());
    const checked = await this.deps.loginThrottle.check(user.email, ctx.clientAddress, async () => {
      if (currentPassword.length > MAX_PASSWORD_LENGTH) return null;
      const credentials = await this.deps.users.findCredentialsByEmail(user.email);
      return credentials && (await verifyPassword(currentPassword, credentials.passwordHash))
        ? credentials
        : null;
    });
    if (checked.outcome === 'throttled') {
      return refused(
        userError(
          UserErrorCode.TOO_MANY_ATTEMPTS,
          'Too many wrong passwords. Wait a few minutes and try again.',
          ['currentPassword'],
        ),
      );
    }
    if (checked.outcome === 'wrong') return refused(wrongPassword());
    const weakness = passwordPolicyViolation(newPassword);
    if (weakness) return refused(userError(weakness.code, weakness.message, ['newPassword']));
    await this.deps.users.changePassword(
      user.id,
      await hashPassword(newPassword, this.deps.scrypt),
      principal.sessionId,
    );
    ctx.log.info({ userId: user.id }, 'password changed: other sessions ended');
    return this.accountOf(user.id);
  }

  private async requestMail(
    ctx: RequestContext,
    user: UserRecord,
    purpose: AccountTokenPurpose,
  ): Promise<void> {
    await this.deps.users.requestAccountMail(
      user.id,
      pendingAccountMail(user, purpose, this.deps.lifetimes, ctx.requestId),
    );
  }

  /** The token row a presented token stands for, if it is of this kind and still redeemable. */
  private async redeemable(
    token: string,
    purpose: AccountTokenPurpose,
  ): Promise<{ token: AccountTokenRecord } | { error: UsersUserError }> {
    const found = await this.deps.users.findAccountToken(hashOpaqueToken(token));
    if (!found || found.purpose !== purpose) {
      return {
        error: userError(
          UserErrorCode.INVALID_TOKEN,
          'This link is not valid. Ask for a new mail.',
          ['token'],
        ),
      };
    }
    if (found.usedAt) return { error: tokenUsed() };
    if (found.expiresAt <= new Date()) {
      return {
        error: userError(
          UserErrorCode.TOKEN_EXPIRED,
          'This link has expired. Ask for a new mail.',
          ['token'],
        ),
      };
    }
    return { token: found };
  }

  private async accountOf(userId: string): Promise<AccountResult> {
    const [user] = await this.deps.users.findByIds([userId]);
    return { user: user ?? null, userErrors: [] };
  }
}

function tokenUsed(): UsersUserError {
  return userError(UserErrorCode.TOKEN_USED, 'This link was used already. Ask for a new mail.', [
    'token',
  ]);
}

function wrongPassword(): UsersUserError {
  return userError(UserErrorCode.WRONG_PASSWORD, 'The current password is wrong.', [
    'currentPassword',
  ]);
}
