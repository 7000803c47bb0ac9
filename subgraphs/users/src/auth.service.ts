import { randomUUID } from 'node:crypto';
import type { AccessTokenIssuer } from '@microshop/auth';
import { userError, type RequestContext, type UserError } from '@microshop/runtime';
import { pendingAccountMail, type AccountTokenLifetimes } from './account-mail.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { UserLoaders } from './loaders.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.ts';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  needsRehash,
  passwordPolicyViolation,
  verifyPassword,
  type ScryptParameters,
} from './password.ts';
import { EmailTakenError, type UserRecord, type UserRepository } from './user.repository.ts';

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 100;
// Deliberately loose: one "@", no spaces, a dot in the domain.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What an authentication mutation returns: a session, or why there is none. */
export interface AuthResult {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
  user?: UserRecord;
  userErrors: UsersUserError[];
}

type UsersUserError = UserError<UserErrorCode>;

const failure = (...userErrors: UsersUserError[]): AuthResult => ({ userErrors });

const INVALID_CREDENTIALS = userError(
  UserErrorCode.INVALID_CREDENTIALS,
  'Email or password is incorrect.',
);
const TOO_MANY_ATTEMPTS = userError(
  UserErrorCode.TOO_MANY_ATTEMPTS,
  'Too many failed sign-in attempts. Wait a few minutes and try again.',
);
const INVALID_REFRESH_TOKEN = userError(
  UserErrorCode.INVALID_REFRESH_TOKEN,
  'This session has ended or the refresh token is invalid. Sign in again.',
  ['refreshToken'],
);

/** Lower-cased and trimmed, so one mailbox is one account whatever the capitalisation. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** For a normalised email: plausible shape and length (deliverability is proven by mail, not here). */
export function isValidEmail(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email);
}

export interface AuthServiceDeps {
  users: UserRepository;
  tokens: AccessTokenIssuer;
  throttle: LoginThrottle;
  scrypt: ScryptParameters;
  /** The work of a password check when the email is unknown (createDummyVerifier). */
  dummyVerify: (password: string) => Promise<false>;
  /** Lifetime of the verification token mailed at sign-up. */
  lifetimes: AccountTokenLifetimes;
}

/**
 * Accounts and sessions: the caller's account, sign-up, logIn (throttled), refresh-token rotation
 * with theft detection, logOut.
 */
export class AuthService {
  constructor(
    private readonly deps: AuthServiceDeps,
    private readonly loaders: UserLoaders,
  ) {}

  /** The caller's own account; null without an access token. */
  async me(ctx: RequestContext): Promise<UserRecord | null> {
    return ctx.principal ? this.loaders.userById.load(ctx.principal.userId) : null;
  }

  /** A user by id (a User reference); every user read of one request shares one query. */
  user(id: string): Promise<UserRecord | null> {
    return this.loaders.userById.load(id);
  }

  async signUp(
    ctx: RequestContext,
    input: { email: string; password: string; name: string },
  ): Promise<AuthResult> {
    const email = normalizeEmail(input.email);
    const name = input.name.trim();
    const errors: UsersUserError[] = [];
    if (!isValidEmail(email)) {
      errors.push(
        userError(UserErrorCode.INVALID_EMAIL, 'Enter a valid email address.', ['input', 'email']),
      );
    }
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
      errors.push(
        userError(UserErrorCode.INVALID_NAME, `Name must be 1 to ${MAX_NAME_LENGTH} characters.`, [
          'input',
          'name',
        ]),
      );
    }
    const weakness = passwordPolicyViolation(input.password);
    if (weakness) errors.push(userError(weakness.code, weakness.message, ['input', 'password']));
    if (errors.length > 0) return failure(...errors);

    let user: UserRecord;
    try {
      // The verification mail is requested in the account's own transaction.
      user = await this.deps.users.create(
        {
          email,
          name,
          role: 'CUSTOMER',
          passwordHash: await hashPassword(input.password, this.deps.scrypt),
        },
        (created) =>
          pendingAccountMail(created, 'EMAIL_VERIFICATION', this.deps.lifetimes, ctx.requestId),
      );
    } catch (error) {
      if (error instanceof EmailTakenError) {
        return failure(
          userError(UserErrorCode.EMAIL_TAKEN, 'An account with this email already exists.', [
            'input',
            'email',
          ]),
        );
      }
      throw error;
    }
    ctx.log.info({ userId: user.id }, 'user signed up');
    return this.startSession(user);
  }

  /**
   * An unknown email and a wrong password get the same answer after the same work (one scrypt
   * run each) and both count towards the email's and the client address's limits.
   */
  async logIn(
    ctx: RequestContext,
    input: { email: string; password: string },
  ): Promise<AuthResult> {
    const email = normalizeEmail(input.email);
    const checked = await this.deps.throttle.check(email, ctx.clientAddress, async () => {
      // Longer than any password that can be set: wrong by definition, and not worth hashing.
      if (input.password.length > MAX_PASSWORD_LENGTH) return null;
      const found = await this.deps.users.findCredentialsByEmail(email);
      if (!found) return this.deps.dummyVerify(input.password).then(() => null);
      return (await verifyPassword(input.password, found.passwordHash)) ? found : null;
    });
    if (checked.outcome === 'throttled') {
      ctx.log.warn({ clientAddress: ctx.clientAddress }, 'logIn refused: too many failed attempts');
      return failure(TOO_MANY_ATTEMPTS);
    }
    if (checked.outcome === 'wrong') return failure(INVALID_CREDENTIALS);
    const credentials = checked.verified;
    if (needsRehash(credentials.passwordHash, this.deps.scrypt)) {
      await this.deps.users.updatePasswordHash(
        credentials.user.id,
        await hashPassword(input.password, this.deps.scrypt),
      );
    }
    return this.startSession(credentials.user);
  }

  /**
   * Trades a refresh token for a new pair. A token works once: presenting one that was already
   * exchanged means two parties hold it (one of them a thief), so the whole family is revoked.
   */
  async refresh(ctx: RequestContext, refreshToken: string): Promise<AuthResult> {
    const { users } = this.deps;
    const stored = await users.findRefreshToken(hashOpaqueToken(refreshToken));
    if (!stored || stored.revokedAt || stored.expiresAt <= new Date()) {
      return failure(INVALID_REFRESH_TOKEN);
    }
    if (stored.rotatedAt) return this.revokeStolenFamily(ctx, stored.familyId);

    const [user] = await users.findByIds([stored.userId]);
    if (!user) return failure(INVALID_REFRESH_TOKEN);
    const next = this.newRefreshToken();
    const rotated = await users.rotateRefreshToken(stored, {
      tokenHash: hashOpaqueToken(next.token),
      expiresAt: next.expiresAt,
    });
    if (!rotated) return this.revokeStolenFamily(ctx, stored.familyId);
    return this.sessionResult(user, next.token, stored.familyId);
  }

  /** Ends the session the refresh token belongs to; false when the token is unknown. */
  async logOut(ctx: RequestContext, refreshToken: string): Promise<boolean> {
    const stored = await this.deps.users.findRefreshToken(hashOpaqueToken(refreshToken));
    if (!stored) return false;
    await this.deps.users.revokeFamily(stored.familyId);
    ctx.log.info({ userId: stored.userId }, 'user logged out');
    return true;
  }

  private async revokeStolenFamily(ctx: RequestContext, familyId: string): Promise<AuthResult> {
    await this.deps.users.revokeFamily(familyId);
    ctx.log.warn({ familyId }, 'refresh token reused: session family revoked');
    return failure(INVALID_REFRESH_TOKEN);
  }

  private newRefreshToken(): { token: string; expiresAt: Date } {
    return {
      token: newOpaqueToken(),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
    };
  }

  /** A new sign-in: a new refresh-token family, whose later rotations all share its id. */
  private async startSession(user: UserRecord): Promise<AuthResult> {
    const refresh = this.newRefreshToken();
    const familyId = randomUUID();
    await this.deps.users.insertRefreshToken({
      tokenHash: hashOpaqueToken(refresh.token),
      familyId,
      userId: user.id,
      expiresAt: refresh.expiresAt,
    });
    return this.sessionResult(user, refresh.token, familyId);
  }

  /** The access token names its sign-in (`sid` = the family id): changePassword keeps that one. */
  private async sessionResult(
    user: UserRecord,
    refreshToken: string,
    familyId: string,
  ): Promise<AuthResult> {
    const access = await this.deps.tokens.issue({
      userId: user.id,
      role: user.role,
      sessionId: familyId,
    });
    return {
      accessToken: access.token,
      expiresIn: access.expiresIn,
      refreshToken,
      user,
      userErrors: [],
    };
  }
}
