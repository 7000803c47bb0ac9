import { isUniqueViolation, type Db } from '@microshop/db';
import { isUuid } from '@microshop/runtime';
import type { Role } from '@microshop/auth';

/** An account as the API shows it: never the password hash. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

const PUBLIC_FIELDS = { id: true, email: true, name: true, role: true, createdAt: true } as const;

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

/** The users domain's one data-access layer (tables users and refresh_tokens). */
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

  /** @throws EmailTakenError when the (normalised) email exists, also under a concurrent sign-up. */
  async create(input: {
    email: string;
    name: string;
    passwordHash: string;
    role: Role;
  }): Promise<UserRecord> {
    try {
      return await this.db.user.create({ data: input, select: PUBLIC_FIELDS });
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

  /** Revokes every live token of a family (one sign-in and all its rotations). */
  async revokeFamily(familyId: string): Promise<void> {
    await this.db.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }
}
