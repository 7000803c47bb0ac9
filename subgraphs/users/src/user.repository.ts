import { isUniqueViolation, type Db, type Tx } from '@microshop/db';
import { appendToOutbox } from '@microshop/events';
import { isUuid } from '@microshop/runtime';
import type { Role } from '@microshop/auth';
import type { AccountTokenPurpose, PendingAccountMail } from './account-mail.ts';
import { outboxSource } from './events.ts';

/** An account as the API shows it: never the password hash. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  emailVerifiedAt: Date | null;
}

const PUBLIC_FIELDS = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
  emailVerifiedAt: true,
} as const;

export class EmailTakenError extends Error {}

/** The refresh token row that a presented token hashes to. */
export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** The account_tokens row a presented mailed token hashes to. */
export interface AccountTokenRecord {
  id: string;
  userId: string;
  purpose: AccountTokenPurpose;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Stores a minted token and the event that mails it, in the caller's transaction. */
async function storeAccountMail(tx: Tx, userId: string, mail: PendingAccountMail): Promise<void> {
  await tx.accountToken.create({
    data: {
      tokenHash: mail.tokenHash,
      purpose: mail.purpose,
      userId,
      expiresAt: mail.expiresAt,
    },
  });
  await appendToOutbox(tx, outboxSource, [mail.event]);
}

/** The users domain's one data-access layer (tables users, refresh_tokens and account_tokens). */
export class UserRepository {
  constructor(private readonly db: Db) {}

  /** Users by id in one query; ids that are not UUIDs cannot exist and are not sent to the database. */
  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.db.user.findMany({ where: { id: { in: valid } }, select: PUBLIC_FIELDS });
  }

  async findCredentialsByEmail(
    email: string,
  ): Promise<{ user: UserRecord; passwordHash: string } | null> {
    const row = await this.db.user.findUnique({
      where: { email },
      select: { ...PUBLIC_FIELDS, passwordHash: true },
    });
    if (!row) return null;
    const { passwordHash, ...user } = row;
    return { user, passwordHash };
  }

  /**
   * Creates the account and, when `mailFor` is given, the token and mail request it returns for
   * the new user, in one transaction.
   * @throws EmailTakenError when the (normalised) email exists, also under a concurrent sign-up.
   */
  async create(
    input: { email: string; name: string; passwordHash: string; role: Role },
    mailFor?: (user: UserRecord) => PendingAccountMail,
  ): Promise<UserRecord> {
    try {
      return await this.db.$transaction(async (tx) => {
        const user = await tx.user.create({ data: input, select: PUBLIC_FIELDS });
        if (mailFor) await storeAccountMail(tx, user.id, mailFor(user));
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { passwordHash } });
  }

  async insertRefreshToken(input: {
    tokenHash: string;
    familyId: string;
    userId: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.refreshToken.create({ data: input });
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.db.refreshToken.findUnique({
      where: { tokenHash },
      select: {
        id: true,
        familyId: true,
        userId: true,
        expiresAt: true,
        rotatedAt: true,
        revokedAt: true,
      },
    });
  }

  /**
   * Marks a token used and stores its successor, atomically. Only one caller can mark it: a
   * concurrent second use of the same token finds it already rotated and gets false.
   */
  async rotateRefreshToken(
    current: RefreshTokenRecord,
    successor: { tokenHash: string; expiresAt: Date },
  ): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const claimed = await tx.refreshToken.updateMany({
        where: { id: current.id, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: new Date() },
      });
      if (claimed.count === 0) return false;
      await tx.refreshToken.create({
        data: { ...successor, familyId: current.familyId, userId: current.userId },
      });
      return true;
    });
  }

  /** A token for the user and the request to mail it, in one transaction. */
  async requestAccountMail(userId: string, mail: PendingAccountMail): Promise<void> {
    await this.db.$transaction((tx) => storeAccountMail(tx, userId, mail));
  }

  async findAccountToken(tokenHash: string): Promise<AccountTokenRecord | null> {
    return this.db.accountToken.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true, purpose: true, expiresAt: true, usedAt: true },
    });
  }

  /** Whether a mailed token can still be redeemed (unused, unexpired), read in the caller's transaction. */
  async isAccountTokenLive(tx: Tx, tokenHash: string): Promise<boolean> {
    const live = await tx.accountToken.count({
      where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
    });
    return live > 0;
  }

  /**
   * Redeems a password-reset token: in one transaction the token is claimed (only one caller can
   * claim it, and only before it expires), the password replaced, the address marked verified
   * (the mail reached its owner), the account's other reset tokens voided and every refresh-token
   * family revoked. False, with nothing changed, when the token could not be claimed.
   */
  async resetPassword(token: AccountTokenRecord, passwordHash: string): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const now = new Date();
      if (!(await claimAccountToken(tx, token, now))) return false;
      await tx.user.update({ where: { id: token.userId }, data: { passwordHash } });
      await markEmailVerified(tx, token.userId, now);
      await tx.accountToken.updateMany({
        where: { userId: token.userId, purpose: 'PASSWORD_RESET', usedAt: null },
        data: { usedAt: now },
      });
      await tx.refreshToken.updateMany({
        where: { userId: token.userId, revokedAt: null },
        data: { revokedAt: now },
      });
      return true;
    });
  }

  /** Redeems a verification token and marks the address verified; false when it could not be claimed. */
  async verifyEmail(token: AccountTokenRecord): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const now = new Date();
      if (!(await claimAccountToken(tx, token, now))) return false;
      await markEmailVerified(tx, token.userId, now);
      return true;
    });
  }

  /**
   * Replaces the password and revokes every refresh-token family of the account except
   * `keepFamilyId` (the caller's own sign-in), in one transaction.
   */
  async changePassword(
    userId: string,
    passwordHash: string,
    keepFamilyId: string | undefined,
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { passwordHash } });
      await tx.refreshToken.updateMany({
        where: {
          userId,
          revokedAt: null,
          ...(keepFamilyId ? { familyId: { not: keepFamilyId } } : {}),
        },
        data: { revokedAt: new Date() },
      });
    });
  }

  /** Revokes every live token of a family (one sign-in and all its rotations). */
  async revokeFamily(familyId: string): Promise<void> {
    await this.db.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }
}

/** Marks a token used if nobody did first and it has not expired: true for the one caller that did. */
async function claimAccountToken(tx: Tx, token: AccountTokenRecord, now: Date): Promise<boolean> {
  const claimed = await tx.accountToken.updateMany({
    where: { id: token.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return claimed.count === 1;
}

/** The first verification counts: a verified address keeps its original time. */
async function markEmailVerified(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx.user.updateMany({
    where: { id: userId, emailVerifiedAt: null },
    data: { emailVerifiedAt: now },
  });
}
