import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from './keys.ts';
import type { Principal } from './principal.ts';

/** Access tokens live 15 minutes; refresh tokens (opaque, owned by the users service) renew them. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** RFC 9068 media type of a JWT access token; verifiers require it so no other JWT can pass for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface TokenAudience {
  issuer: string;
  audience: string;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
}

export interface AccessTokenIssuer {
  issue(principal: Principal): Promise<IssuedAccessToken>;
}

export function createAccessTokenIssuer(
  key: SigningKey,
  options: TokenAudience & { ttlSeconds?: number },
): AccessTokenIssuer {
  const ttlSeconds = options.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  return {
    async issue(principal) {
      const claims = principal.sessionId
        ? { role: principal.role, sid: principal.sessionId }
        : { role: principal.role };
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(principal.userId)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key.privateKey);
      return { token, expiresIn: ttlSeconds };
    },
  };
}
