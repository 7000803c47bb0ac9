import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  needsRehash,
  passwordPolicyViolation,
  scryptParametersFor,
  verifyPassword,
  PRODUCTION_SCRYPT,
  type ScryptParameters,
} from '../src/password.ts';

const cheap: ScryptParameters = { logN: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('Correct-horse-1', cheap);
    expect(await verifyPassword('Correct-horse-1', stored)).toBe(true);
    expect(await verifyPassword('Correct-horse-2', stored)).toBe(false);
  });

  it('salts every hash and records its parameters beside it', async () => {
    const [first, second] = await Promise.all([
      hashPassword('Same-passw0rd', cheap),
      hashPassword('Same-passw0rd', cheap),
    ]);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
  });

  it('verifies hashes made with other parameters, and flags them for rehashing', async () => {
    const old = await hashPassword('Upgrade-me-1', { logN: 11, r: 8, p: 1 });
    expect(await verifyPassword('Upgrade-me-1', old)).toBe(true);
    expect(needsRehash(old, cheap)).toBe(true);
    expect(needsRehash(await hashPassword('Upgrade-me-1', cheap), cheap)).toBe(false);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('anything-at-all', 'plaintext')).toBe(false);
  });

  it('uses the OWASP cost in production', () => {
    expect(scryptParametersFor({ isProduction: true })).toEqual(PRODUCTION_SCRYPT);
    expect(PRODUCTION_SCRYPT).toEqual({ logN: 17, r: 8, p: 1 });
  });
});

describe('password policy', () => {
  it.each([
    ['Abcdefghi', 'WEAK_PASSWORD'],
    ['abcdefghijkl', 'WEAK_PASSWORD'],
    ['123456789012', 'WEAK_PASSWORD'],
    ['!!!!!!!!!!!!', 'WEAK_PASSWORD'],
    [`Aa1${'x'.repeat(254)}`, 'PASSWORD_TOO_LONG'],
  ])('refuses %j (%s)', (password, code) => {
    expect(passwordPolicyViolation(password)?.code).toBe(code);
  });

  it.each(['abcdefghij1', 'ABCDEFGHIJ-', `Aa1${'x'.repeat(253)}`])('accepts %j', (password) => {
    expect(passwordPolicyViolation(password)).toBeNull();
  });
});
