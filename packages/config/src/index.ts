import { z } from 'zod';

/**
 * The environment, read once into a typed, validated object.
 *
 * A backend is "real" when its URL is set and "embedded" otherwise; that choice is made
 * here and nowhere else, so every process of one deployment agrees on it.
 */

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional())
  .optional();
const optionalText = z
  .string()
  .transform((value) => (value.trim() === '' ? undefined : value))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: optionalUrl,
  EMBEDDED_POSTGRES_PORT: port(54329),
  DATA_DIR: z.string().default('.data'),

  REDIS_URL: optionalUrl,
  KAFKA_BROKERS: optionalText,
  KAFKA_CLIENT_ID: z.string().default('microshop'),
  ELASTICSEARCH_URL: optionalUrl,
  SEARCH_ENGINE: z.enum(['elasticsearch', 'opensearch']).default('elasticsearch'),
  /** Prefix for topics, consumer groups, index names and cache keys: isolates tenants and test files. */
  NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_-]*$/, 'lowercase letters, digits, "_" and "-" only')
    .default(''),

  GATEWAY_PORT: port(4000),
  USERS_PORT: port(4001),
  CATALOG_PORT: port(4002),
  CART_PORT: port(4003),
  ORDERS_PORT: port(4004),
  PAYMENTS_PORT: port(4005),
  HOST: z.string().default('127.0.0.1'),

  USERS_URL: optionalUrl,
  CATALOG_URL: optionalUrl,
  CART_URL: optionalUrl,
  ORDERS_URL: optionalUrl,
  PAYMENTS_URL: optionalUrl,

  JWT_PRIVATE_KEY: optionalText,
  JWT_PREVIOUS_PUBLIC_KEY: optionalText,
  JWT_ISSUER: z.string().default('microshop'),
  JWT_AUDIENCE: z.string().default('microshop-api'),
  JWKS_URL: optionalUrl,

  MICROSHOP_ADMIN_PASSWORD: optionalText,

  CORS_ORIGINS: z.string().default(''),
  INTROSPECTION: booleanFlag,
  CI: booleanFlag,
});

export type SubgraphName = 'users' | 'catalog' | 'cart' | 'orders' | 'payments';
export const SUBGRAPH_NAMES: readonly SubgraphName[] = [
  'users',
  'catalog',
  'cart',
  'orders',
  'payments',
];

export type DatabaseBackend =
  { kind: 'postgres'; url: string } | { kind: 'embedded'; port: number; dataDir: string };
export type RedisBackend = { kind: 'redis'; url: string } | { kind: 'memory' };
export type EventBusBackend =
  { kind: 'kafka'; brokers: string[]; clientId: string } | { kind: 'postgres-log' };
export type SearchBackend =
  { kind: 'elasticsearch' | 'opensearch'; url: string } | { kind: 'postgres' };

export interface Config {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  logLevel: string;
  namespace: string;
  dataDir: string;
  host: string;
  ci: boolean;
  database: DatabaseBackend;
  redis: RedisBackend;
  eventBus: EventBusBackend;
  search: SearchBackend;
  ports: Record<SubgraphName | 'gateway', number>;
  subgraphUrls: Record<SubgraphName, string>;
  jwt: {
    privateKey: string | undefined;
    previousPublicKey: string | undefined;
    issuer: string;
    audience: string;
    jwksUrl: string;
  };
  adminPassword: string | undefined;
  gateway: { corsOrigins: string[]; introspection: boolean };
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const env = parsed.data;

  const kafkaBrokers = env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (kafkaBrokers?.some((broker) => !/^[^\s:]+:\d+$/.test(broker))) {
    throw new ConfigError([
      `KAFKA_BROKERS: expected host:port[,host:port...], got "${env.KAFKA_BROKERS}"`,
    ]);
  }

  if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
    throw new ConfigError([
      'DATABASE_URL: required when NODE_ENV=production (the embedded database is for development)',
    ]);
  }

  const ports = {
    gateway: env.GATEWAY_PORT,
    users: env.USERS_PORT,
    catalog: env.CATALOG_PORT,
    cart: env.CART_PORT,
    orders: env.ORDERS_PORT,
    payments: env.PAYMENTS_PORT,
  };
  const localUrl = (name: SubgraphName) => `http://${env.HOST}:${ports[name]}/graphql`;

  return Object.freeze({
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL,
    namespace: env.NAMESPACE,
    dataDir: env.DATA_DIR,
    host: env.HOST,
    ci: env.CI,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'embedded', port: env.EMBEDDED_POSTGRES_PORT, dataDir: env.DATA_DIR },
    redis: env.REDIS_URL ? { kind: 'redis', url: env.REDIS_URL } : { kind: 'memory' },
    eventBus: kafkaBrokers?.length
      ? { kind: 'kafka', brokers: kafkaBrokers, clientId: env.KAFKA_CLIENT_ID }
      : { kind: 'postgres-log' },
    search: env.ELASTICSEARCH_URL
      ? { kind: env.SEARCH_ENGINE, url: env.ELASTICSEARCH_URL }
      : { kind: 'postgres' },
    ports,
    subgraphUrls: {
      users: env.USERS_URL ?? localUrl('users'),
      catalog: env.CATALOG_URL ?? localUrl('catalog'),
      cart: env.CART_URL ?? localUrl('cart'),
      orders: env.ORDERS_URL ?? localUrl('orders'),
      payments: env.PAYMENTS_URL ?? localUrl('payments'),
    },
    jwt: {
      privateKey: env.JWT_PRIVATE_KEY,
      previousPublicKey: env.JWT_PREVIOUS_PUBLIC_KEY,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      jwksUrl: env.JWKS_URL ?? `http://${env.HOST}:${ports.users}/.well-known/jwks.json`,
    },
    adminPassword: env.MICROSHOP_ADMIN_PASSWORD,
    gateway: {
      corsOrigins: env.CORS_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
      introspection: env.INTROSPECTION || env.NODE_ENV !== 'production',
    },
  } satisfies Config);
}

/**
 * Loads the configuration or ends the process with a message naming every bad variable.
 * For process entry points; libraries take a Config as an argument instead.
 */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
