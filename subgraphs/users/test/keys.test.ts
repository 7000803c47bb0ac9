import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@microshop/config';
import { createAccessTokenIssuer, createLocalTokenVerifier } from '@microshop/auth';
import { GENERATED_KEY_FILE, loadSigningKeys } from '../src/keys.ts';

const pemPair = () =>
  generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

const temporaryDirs: string[] = [];
async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'users-keys-'));
  temporaryDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('signing keys', () => {
  it('is a configuration error naming JWT_PRIVATE_KEY in production without a key', async () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/x' });
    const failure = await loadSigningKeys(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).message).toContain('JWT_PRIVATE_KEY');
  });

  it('generates a key once outside production and keeps it, readable by its owner only', async () => {
    const dataDir = await temporaryDir();
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: join(dataDir, 'nested') });
    const first = await loadSigningKeys(config);
    const second = await loadSigningKeys(config);
    expect(second.current.kid).toBe(first.current.kid);
    const file = join(dataDir, 'nested', GENERATED_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      d: expect.any(String),
    });
  });

  it('reads a PEM key and publishes the previous public key beside it, so tokens of both verify', async () => {
    const previous = pemPair();
    const current = pemPair();
    const before = await loadSigningKeys(
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgresql://db/x',
        JWT_PRIVATE_KEY: previous.privateKey,
      }),
    );
    const after = await loadSigningKeys(
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgresql://db/x',
        JWT_PRIVATE_KEY: current.privateKey,
        JWT_PREVIOUS_PUBLIC_KEY: previous.publicKey,
      }),
    );
    expect(after.jwks.keys.map((key) => key.kid)).toEqual([after.current.kid, before.current.kid]);

    const audience = { issuer: 'microshop', audience: 'microshop-api' };
    const verifier = createLocalTokenVerifier(after.jwks, audience);
    for (const keys of [before, after]) {
      const { token } = await createAccessTokenIssuer(keys.current, audience).issue({
        userId: 'u',
        role: 'CUSTOMER',
      });
      await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u', role: 'CUSTOMER' });
    }
  });

  it('reads a private JWK (JSON) and keeps its kid', async () => {
    const dataDir = await temporaryDir();
    const generated = await loadSigningKeys(loadConfig({ DATA_DIR: dataDir }));
    const jwk = await readFile(join(dataDir, GENERATED_KEY_FILE), 'utf8');
    const configured = await loadSigningKeys(
      loadConfig({ JWT_PRIVATE_KEY: jwk, DATA_DIR: join(dataDir, 'unused') }),
    );
    expect(configured.current.kid).toBe(generated.current.kid);
  });

  it('names the variable when a configured key is not an Ed25519 private key', async () => {
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    for (const JWT_PRIVATE_KEY of [
      'not a key',
      rsa.privateKey,
      '{"kty":"OKP","crv":"Ed25519","x":"AAAA"}',
    ]) {
      const failure = await loadSigningKeys(loadConfig({ JWT_PRIVATE_KEY })).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as Error).message).toContain('JWT_PRIVATE_KEY');
    }
  });
});
