import type { JSONWebKeySet } from 'jose';
import { generateSigningKey, jwksOf } from './keys.ts';
import type { Principal, TokenVerifier } from './principal.ts';
import { createAccessTokenIssuer } from './tokens.ts';
import { createLocalTokenVerifier } from './verifier.ts';

export interface TestAuthority {
  /** Verifies exactly like production (same code), against this authority's key only. */
  verifier: TokenVerifier;
  /** A valid access token for the principal, signed with this authority's key. */
  tokenFor(principal: Principal): Promise<string>;
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
}

/**
 * A fresh in-memory signing key with a verifier for it: lets another subgraph's tests call it as
 * any user without running the users service. Tokens of one authority fail on another's verifier.
 */
export async function createTestAuthority(
  options: { issuer?: string; audience?: string } = {},
): Promise<TestAuthority> {
  const issuer = options.issuer ?? 'microshop';
  const audience = options.audience ?? 'microshop-api';
  const { key } = await generateSigningKey();
  const jwks = jwksOf([key.publicJwk]);
  const issuerOfTokens = createAccessTokenIssuer(key, { issuer, audience });
  return {
    verifier: createLocalTokenVerifier(jwks, { issuer, audience }),
    async tokenFor(principal) {
      return (await issuerOfTokens.issue(principal)).token;
    },
    jwks,
    issuer,
    audience,
  };
}
