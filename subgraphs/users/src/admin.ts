import { randomBytes } from 'node:crypto';
import type { Db } from '@microshop/db';
import {
  hashPassword,
  passwordPolicyViolation,
  PRODUCTION_SCRYPT,
  type ScryptParameters,
} from './password.ts';
import { isValidEmail, normalizeEmail } from './auth.service.ts';
import { EmailTakenError, UserRepository } from './user.repository.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@microshop.local';

export interface EnsureAdminResult {
  created: boolean;
  /** Set only when the account was created with a generated password: show it once, store it nowhere. */
  generatedPassword?: string;
}

/**
 * Creates the ADMIN account unless an account with that email exists (then nothing changes:
 * an operator's later password change is never overwritten). Without a password, a random one
 * is generated and returned. A given password must meet the same policy as any other.
 * `scrypt`: pass `scryptParametersFor(config)`; the default is the production cost.
 */
export async function ensureAdmin(
  db: Db,
  options: { email: string; password?: string | undefined; scrypt?: ScryptParameters },
): Promise<EnsureAdminResult> {
  const users = new UserRepository(db);
  const email = normalizeEmail(options.email);
  if (!isValidEmail(email))
    throw new Error(`Admin email refused: "${options.email}" is not a valid email address`);
  if (await users.findCredentialsByEmail(email)) return { created: false };

  // 24 random bytes in base64url: 32 characters mixing cases and digits, far beyond the policy.
  const password = options.password ?? randomBytes(24).toString('base64url');
  const weakness = passwordPolicyViolation(password);
  if (weakness) throw new Error(`Admin password refused: ${weakness.message}`);
  try {
    await users.create({
      email,
      name: 'Administrator',
      role: 'ADMIN',
      passwordHash: await hashPassword(password, options.scrypt ?? PRODUCTION_SCRYPT),
    });
  } catch (error) {
    // Another process created it meanwhile: same outcome as finding it.
    if (error instanceof EmailTakenError) return { created: false };
    throw error;
  }
  return options.password === undefined
    ? { created: true, generatedPassword: password }
    : { created: true };
}
