import { GraphQLError } from 'graphql';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import type { Config } from '@microshop/config';
import { SIGNING_ALGORITHM } from './keys.ts';
import { unauthenticated, type Principal, type Role, type TokenVerifier } from './principal.ts';
import { ACCESS_TOKEN_TYPE, type TokenAudience } from './tokens.ts';

const ROLES: readonly Role[] = ['CUSTOMER', 'ADMIN'];
/** Far above any token we issue; bounds the work spent on garbage. */
const MAX_TOKEN_LENGTH = 4096;
/** Clock skew accepted between the users service and a verifier. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** The key set could not be obtained: the signer is unreachable, not the caller at fault. */
class KeySetUnavailable extends Error {}

/**
 * Verified tokens are remembered: every hop of a request (gateway, then each subgraph it reaches)
 * verifies the same token, and an EdDSA signature check dominates a small subgraph call. A
 * remembered token is still refused once it expires, and is verified afresh after
 * REVERIFY_AFTER_MS, which bounds how long a token signed by a key withdrawn from the JWKS keeps
 * working. Only successes are kept: a bad token pays the full check every time.
 */
const MAX_REMEMBERED_TOKENS = 10_000;
const REVERIFY_AFTER_MS = 60_000;

interface RememberedToken {
  principal: Principal;
  /** When it stops being accepted from memory: its expiry (with the tolerance) or the re-check. */
  validUntilMs: number;
}

/** Key-lookup failures caused by the token itself (its kid or alg matches no usable key). */
const TOKEN_KEY_ERRORS = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSENotSupported,
  errors.JWKInvalid,
];

/**
 * Wraps a key resolver so that a failure to obtain the key set (network, timeout, a non-JWKS
 * answer) is told apart from a token whose kid matches nothing, which is the caller's fault.
 */
function distinguishUnavailable(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (error) {
      if (TOKEN_KEY_ERRORS.some((tokenError) => error instanceof tokenError)) throw error;
      throw new KeySetUnavailable('JSON Web Key Set unavailable', { cause: error });
    }
  };
}

/**
 * The one verification path of the supergraph (gateway, every subgraph, tests): EdDSA only,
 * the access-token type, issuer, audience, expiry and not-before checked, subject and role required.
 * Any defect answers UNAUTHENTICATED with the same message, so a caller learns nothing from it.
 */
function verifierWith(getKey: JWTVerifyGetKey, expected: TokenAudience): TokenVerifier {
  const resolveKey = distinguishUnavailable(getKey);
  const remembered = new Map<string, RememberedToken>();
  const remember = (token: string, principal: Principal, expiresAtSeconds: number) => {
    // Map keeps insertion order: the oldest entry goes first when full.
    if (remembered.size >= MAX_REMEMBERED_TOKENS) {
      remembered.delete(remembered.keys().next().value!);
    }
    const validUntilMs = Math.min(
      (expiresAtSeconds + CLOCK_TOLERANCE_SECONDS) * 1000,
      Date.now() + REVERIFY_AFTER_MS,
    );
    remembered.set(token, { principal, validUntilMs });
  };
  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('Invalid or expired access token');
      const known = remembered.get(token);
      if (known) {
        if (Date.now() < known.validUntilMs) return known.principal;
        remembered.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, resolveKey, {
          algorithms: [SIGNING_ALGORITHM],
          typ: ACCESS_TOKEN_TYPE,
          issuer: expected.issuer,
          audience: expected.audience,
          requiredClaims: ['sub', 'exp', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        const role = payload.role;
        if (
          typeof payload.sub !== 'string' ||
          payload.sub === '' ||
          !ROLES.includes(role as Role)
        ) {
          throw unauthenticated('Invalid or expired access token');
        }
        const principal: Principal = {
          userId: payload.sub,
          role: role as Role,
          ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
        };
        remember(token, principal, payload.exp!);
        return principal;
      } catch (error) {
        if (error instanceof KeySetUnavailable) {
          throw new GraphQLError('Cannot verify access tokens right now', {
            extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
            originalError: error,
          });
        }
        throw unauthenticated('Invalid or expired access token');
      }
    },
  };
}

export interface RemoteVerifierOptions {
  /** Minimum time between two fetches caused by an unknown kid (default 30 s). */
  cooldownSeconds?: number;
  /** How long a fetched key set is used before it is fetched again (default 10 min). */
  cacheMaxAgeSeconds?: number;
  /** Timeout of one JWKS request (default 5 s). */
  timeoutSeconds?: number;
}

/**
 * Verifies access tokens against the users service's JWKS (config.jwt.jwksUrl), fetched lazily,
 * cached, and fetched again when a token names an unknown kid (at most once per cooldown), so a
 * key rotation is picked up without a restart and a flood of made-up kids cannot hammer the signer.
 */
export function createTokenVerifier(
  jwt: Pick<Config['jwt'], 'jwksUrl' | 'issuer' | 'audience'>,
  options: RemoteVerifierOptions = {},
): TokenVerifier {
  const keySet = createRemoteJWKSet(new URL(jwt.jwksUrl), {
    cooldownDuration: (options.cooldownSeconds ?? 30) * 1000,
    cacheMaxAge: (options.cacheMaxAgeSeconds ?? 600) * 1000,
    timeoutDuration: (options.timeoutSeconds ?? 5) * 1000,
  });
  return verifierWith(keySet, jwt);
}

/** Verifies against a key set held in memory: the users service's own keys, or a test authority's. */
export function createLocalTokenVerifier(
  jwks: JSONWebKeySet,
  expected: TokenAudience,
): TokenVerifier {
  return verifierWith(createLocalJWKSet(jwks), expected);
}
