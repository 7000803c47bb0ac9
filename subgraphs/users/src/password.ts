import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { UserErrorCode } from './generated/resolvers-types.ts';

/** Longest password accepted: checked before any hashing, so a huge string costs nothing. */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 10;

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt: N = 2^17, r = 8, p = 1 (128 MiB per hash). */
export const PRODUCTION_SCRYPT: ScryptParameters = { logN: 17, r: 8, p: 1 };
/** Development and tests: 2^14 (16 MiB) keeps local loops fast; hashes record their own parameters. */
export const DEVELOPMENT_SCRYPT: ScryptParameters = { logN: 14, r: 8, p: 1 };

/** The cost for new hashes in this deployment. */
export function scryptParametersFor(config: { isProduction: boolean }): ScryptParameters {
  return config.isProduction ? PRODUCTION_SCRYPT : DEVELOPMENT_SCRYPT;
}

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    // Node refuses more than 32 MiB by default; allow twice what the parameters need (128 * N * r).
    maxmem: 2 * 128 * 2 ** params.logN * params.r,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`: PHC string layout, salt and hash in unpadded base64url. */
export async function hashPassword(password: string, params: ScryptParameters): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, params);
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const STORED_HASH = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/;

/** True when a stored hash was made with other parameters than `current` (then it is rehashed at the next logIn). */
export function needsRehash(stored: string, current: ScryptParameters): boolean {
  const match = STORED_HASH.exec(stored);
  return (
    !match ||
    Number(match[1]) !== current.logN ||
    Number(match[2]) !== current.r ||
    Number(match[3]) !== current.p
  );
}

/** Recomputes the hash with the stored salt and parameters and compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED_HASH.exec(stored);
  if (!match) return false;
  const [, logN, r, p, salt, hash] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    logN: Number(logN),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

type PasswordPolicyCode =
  typeof UserErrorCode.PASSWORD_TOO_LONG | typeof UserErrorCode.WEAK_PASSWORD;

const CHARACTER_CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

/** Why a new password is refused, or null when it is acceptable. */
export function passwordPolicyViolation(
  password: string,
): { code: PasswordPolicyCode; message: string } | null {
  if (password.length > MAX_PASSWORD_LENGTH) {
    return {
      code: UserErrorCode.PASSWORD_TOO_LONG,
      message: `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`,
    };
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    return {
      code: UserErrorCode.WEAK_PASSWORD,
      message: `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`,
    };
  }
  const classes = CHARACTER_CLASSES.filter((pattern) => pattern.test(password)).length;
  if (classes < 2) {
    return {
      code: UserErrorCode.WEAK_PASSWORD,
      message:
        'Password must mix at least two of: lower-case letters, upper-case letters, digits, other characters.',
    };
  }
  return null;
}

/**
 * Compares a password with the hash of a random one: the work done when the email is unknown,
 * so an unknown email and a wrong password take the same time.
 */
export function createDummyVerifier(
  params: ScryptParameters,
): (password: string) => Promise<false> {
  let dummyHash: Promise<string> | undefined;
  return async (password) => {
    dummyHash ??= hashPassword(randomBytes(18).toString('base64url'), params);
    await verifyPassword(password, await dummyHash);
    return false;
  };
}
