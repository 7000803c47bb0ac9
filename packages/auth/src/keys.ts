import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';

export type { JSONWebKeySet, JWK } from 'jose';

/** The one signing algorithm: Ed25519 signatures (RFC 8037). Verifiers accept nothing else. */
export const SIGNING_ALGORITHM = 'EdDSA';

/** A private key that signs access tokens, with the public half published in the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** Public JWK as served in the JWKS: kty, crv, x, kid, alg, use. */
  publicJwk: JWK;
}

function assertEd25519(jwk: JWK, what: string): void {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
    throw new Error(
      `${what}: expected an Ed25519 key (kty OKP, crv Ed25519), got kty ${jwk.kty} crv ${jwk.crv ?? '-'}`,
    );
  }
}

/** The public members of a JWK, labelled for the JWKS; the kid defaults to the RFC 7638 thumbprint. */
async function publicJwkOf(jwk: JWK, kid: string | undefined): Promise<JWK> {
  const publicOnly: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  return {
    ...publicOnly,
    kid: kid ?? (await calculateJwkThumbprint(publicOnly)),
    alg: SIGNING_ALGORITHM,
    use: 'sig',
  };
}

function parseJwkText(text: string, what: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${what}: neither a PEM block nor a JWK in JSON`);
  }
}

/** An Ed25519 private key from configuration: a PKCS#8 PEM block or a private JWK (JSON, with "d"). */
export async function parseSigningKey(text: string, what = 'JWT_PRIVATE_KEY'): Promise<SigningKey> {
  const trimmed = text.trim();
  let privateKey: CryptoKey;
  let jwk: JWK;
  if (trimmed.startsWith('-----BEGIN')) {
    privateKey = await importPKCS8(trimmed, SIGNING_ALGORITHM, { extractable: true });
    jwk = await exportJWK(privateKey);
  } else {
    jwk = parseJwkText(trimmed, what);
    assertEd25519(jwk, what);
    if (!jwk.d) throw new Error(`${what}: the JWK has no private part ("d")`);
    privateKey = (await importJWK(jwk, SIGNING_ALGORITHM, { extractable: true })) as CryptoKey;
  }
  assertEd25519(jwk, what);
  const publicJwk = await publicJwkOf(jwk, jwk.kid);
  return { kid: publicJwk.kid as string, privateKey, publicJwk };
}

/** An Ed25519 public key from configuration (the previous signing key): SPKI PEM or a JWK in JSON. */
export async function parsePublicKey(text: string, what = 'JWT_PREVIOUS_PUBLIC_KEY'): Promise<JWK> {
  const trimmed = text.trim();
  const jwk = trimmed.startsWith('-----BEGIN')
    ? await exportJWK(await importSPKI(trimmed, SIGNING_ALGORITHM, { extractable: true }))
    : parseJwkText(trimmed, what);
  assertEd25519(jwk, what);
  return publicJwkOf(jwk, jwk.kid);
}

/** A new key pair; `privateJwk` (with its kid) is what to store to load the same key later. */
export async function generateSigningKey(): Promise<{ key: SigningKey; privateJwk: JWK }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  const exported = await exportJWK(privateKey);
  const publicJwk = await publicJwkOf(exported, undefined);
  return {
    key: { kid: publicJwk.kid as string, privateKey, publicJwk },
    privateJwk: { ...exported, kid: publicJwk.kid },
  };
}

/** The JWKS document: public keys only, current first. */
export function jwksOf(publicJwks: JWK[]): JSONWebKeySet {
  return { keys: publicJwks.map((jwk) => ({ ...jwk })) };
}
