import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import { SERVICES } from '../start-service.ts';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: unknown;
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };

/** Docker Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?message}`. */
function interpolate(value: string, env: Record<string, string>): string {
  return String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_match, name, kind, rest) => {
    if (env[name]) return env[name];
    if (kind === '?') throw new Error(`${name}: ${rest}`);
    return kind === '-' ? rest : '';
  });
}

const appServices = Object.entries(compose.services).filter(
  ([, service]) => service.image === 'microshop/app:local',
);
const processes = appServices.filter(([, service]) => service.command?.length);

describe('docker-compose.yml', () => {
  it('runs every MicroShop process, each by a name the image knows', () => {
    expect(processes.map(([name]) => name).sort()).toEqual(Object.keys(SERVICES).sort());
    for (const [name, service] of processes) expect(service.command).toEqual([name]);
  });

  it.each(appServices.map(([name]) => name))(
    '%s: its environment is a valid production configuration on the real backends',
    (name) => {
      const environment = Object.fromEntries(
        Object.entries(compose.services[name]!.environment ?? {}).map(([key, value]) => [
          key,
          interpolate(value, { JWT_PRIVATE_KEY: 'a key from the operator' }),
        ]),
      );
      const config = loadConfig(environment);
      expect(config.isProduction).toBe(true);
      expect(config.database.kind).toBe('postgres');
      expect(config.redis.kind).toBe('redis');
      expect(config.eventBus.kind).toBe('kafka');
      expect(config.search.kind).toBe('elasticsearch');
      expect(config.jwt.privateKey).toBeTruthy();
    },
  );

  it('refuses to start without a signing key rather than running with a throwaway one', () => {
    const environment = compose.services.users!.environment!;
    expect(() => interpolate(environment.JWT_PRIVATE_KEY!, {})).toThrow(/JWT_PRIVATE_KEY/);
  });

  it('gives every server and HTTP service a health check', () => {
    for (const name of ['postgres', 'redis', 'kafka', 'elasticsearch', 'users', 'gateway']) {
      expect(compose.services[name]?.healthcheck, name).toBeDefined();
    }
  });
});
