import { createHmac } from 'node:crypto';
import { exportSPKI, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { generateSigningKey, type SigningKey } from './index.ts';

/**
 * Test support (`@microshop/auth/testing`, kept off the main entry): forged and defective access
 * tokens, one per attack a verifier must refuse. Used by the verifier's own tests, the users
 * subgraph's HTTP tests and the gateway's, so every level faces the same list.
 */

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface TokenTarget {
  key: SigningKey;
  issuer: string;
  audience: string;
}

function validClaims(target: TokenTarget): JWTPayload {
  const now = nowSeconds();
  return {
    iss: target.issuer,
    aud: target.audience,
    sub: 'user-1',
    role: 'CUSTOMER',
    iat: now,
    exp: now + 600,
  };
}

async function sign(
  privateKey: CryptoKey,
  kid: string,
  claims: JWTPayload,
  typ = 'at+jwt',
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid, typ }).sign(privateKey);
}

/** Every attack of the issue (and a few defects), by name, against `target`'s key and audience. */
export async function forgedTokens(target: TokenTarget): Promise<Record<string, string>> {
  const claims = validClaims(target);
  const now = nowSeconds();
  const stranger = (await generateSigningKey()).key;
  const valid = await sign(target.key.privateKey, target.key.kid, claims);
  const [header, , signature] = valid.split('.') as [string, string, string];

  const publicPem = await exportSPKI(
    (await importJWK(target.key.publicJwk, 'EdDSA', { extractable: true })) as CryptoKey,
  );
  const hsHeader = encode({ alg: 'HS256', typ: 'at+jwt', kid: target.key.kid });
  const hsPayload = encode(claims);
  const hsSignature = createHmac('sha256', publicPem)
    .update(`${hsHeader}.${hsPayload}`)
    .digest('base64url');

  return {
    'alg none': `${encode({ alg: 'none', typ: 'at+jwt', kid: target.key.kid })}.${encode(claims)}.`,
    'HS256 signed with the public key as the secret': `${hsHeader}.${hsPayload}.${hsSignature}`,
    expired: await sign(target.key.privateKey, target.key.kid, {
      ...claims,
      iat: now - 3600,
      exp: now - 60,
    }),
    'not yet valid (nbf)': await sign(target.key.privateKey, target.key.kid, {
      ...claims,
      nbf: now + 600,
    }),
    'wrong issuer': await sign(target.key.privateKey, target.key.kid, {
      ...claims,
      iss: 'https://evil.example',
    }),
    'wrong audience': await sign(target.key.privateKey, target.key.kid, {
      ...claims,
      aud: 'another-api',
    }),
    'payload tampered after signing': `${header}.${encode({ ...claims, role: 'ADMIN' })}.${signature}`,
    'unknown kid': await sign(stranger.privateKey, 'no-such-kid', claims),
    'right kid, different key': await sign(stranger.privateKey, target.key.kid, claims),
    'malformed header': `${Buffer.from('{"alg":"EdDSA",').toString('base64url')}.${encode(claims)}.${signature}`,
    'not a JWT at all': 'definitely-not-a-token',
    'no role claim': await sign(target.key.privateKey, target.key.kid, {
      ...claims,
      role: undefined,
    }),
    'unknown role': await sign(target.key.privateKey, target.key.kid, {
      ...claims,
      role: 'SUPERUSER',
    }),
    'no subject': await sign(target.key.privateKey, target.key.kid, { ...claims, sub: undefined }),
    'not an access token (typ JWT)': await sign(
      target.key.privateKey,
      target.key.kid,
      claims,
      'JWT',
    ),
  };
}

/** A correctly signed token with the given claims changed, to prove the verifier accepts the baseline. */
export async function tokenWith(target: TokenTarget, overrides: JWTPayload = {}): Promise<string> {
  return sign(target.key.privateKey, target.key.kid, { ...validClaims(target), ...overrides });
}
