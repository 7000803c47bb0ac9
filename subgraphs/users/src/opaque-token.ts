import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: what refresh tokens and mailed account tokens are. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Opaque tokens are stored as their SHA-256 only: a database leak yields nothing usable. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
