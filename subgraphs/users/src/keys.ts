import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generateSigningKey,
  jwksOf,
  parsePublicKey,
  parseSigningKey,
  type JSONWebKeySet,
  type SigningKey,
} from '@microshop/auth';
import { ConfigError, type Config } from '@microshop/config';

export interface UsersKeys {
  /** Signs every new access token. */
  current: SigningKey;
  /** What /.well-known/jwks.json serves: the current key, then the previous one during a rotation. */
  jwks: JSONWebKeySet;
}

export const GENERATED_KEY_FILE = 'jwt-signing-key.json';

/**
 * The embedded default: a key generated at the first start and kept in the data directory, so
 * tokens survive restarts. Created exclusively (`wx`): when two processes race, both end up
 * with the file's key.
 */
async function loadOrCreateDevelopmentKey(dataDir: string): Promise<SigningKey> {
  const file = join(dataDir, GENERATED_KEY_FILE);
  try {
    return await parseSigningKey(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const { key, privateJwk } = await generateSigningKey();
  try {
    await writeFile(file, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseSigningKey(await readFile(file, 'utf8'), file);
  }
}

/**
 * Signing keys from configuration: JWT_PRIVATE_KEY (PEM or JWK) and, during a rotation,
 * JWT_PREVIOUS_PUBLIC_KEY so tokens signed before it keep verifying until they expire.
 */
export async function loadSigningKeys(
  config: Pick<Config, 'jwt' | 'isProduction' | 'dataDir'>,
): Promise<UsersKeys> {
  let current: SigningKey;
  if (config.jwt.privateKey) {
    current = await parseSigningKey(config.jwt.privateKey, 'JWT_PRIVATE_KEY').catch(
      (error: Error) => {
        throw new ConfigError([`JWT_PRIVATE_KEY: ${error.message}`]);
      },
    );
  } else if (config.isProduction) {
    throw new ConfigError([
      'JWT_PRIVATE_KEY: required when NODE_ENV=production (an Ed25519 private key, PKCS#8 PEM or JWK JSON)',
    ]);
  } else {
    current = await loadOrCreateDevelopmentKey(config.dataDir);
  }
  const publicKeys = [current.publicJwk];
  if (config.jwt.previousPublicKey) {
    const previous = await parsePublicKey(
      config.jwt.previousPublicKey,
      'JWT_PREVIOUS_PUBLIC_KEY',
    ).catch((error: Error) => {
      throw new ConfigError([`JWT_PREVIOUS_PUBLIC_KEY: ${error.message}`]);
    });
    if (previous.kid !== current.kid) publicKeys.push(previous);
  }
  return { current, jwks: jwksOf(publicKeys) };
}
