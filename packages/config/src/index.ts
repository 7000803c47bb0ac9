import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { isCountryCode } from '@microshop/addresses';

/**
 * The environment, read once into a typed, validated object.
 *
 * A backend is "real" when its URL is set and "embedded" otherwise; that choice is made
 * here and nowhere else, so every process of one deployment agrees on it.
 */

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
/** Milliseconds, at most an hour: a larger value is a typo, not a wish. */
const milliseconds = positiveInt(3_600_000);
const optionalMilliseconds = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  milliseconds.optional(),
);
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

/** `scheme://host[:port]` exactly as a browser sends it in `Origin`: no path, no trailing slash. */
const isOrigin = (value: string) => URL.canParse(value) && new URL(value).origin === value;
const originList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(isOrigin, 'expected origins such as https://shop.example (no path, no "/")'),
    ),
  );

const httpUrl = optionalUrl.refine(
  (value) =>
    value === undefined || (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)),
  'expected an http(s) URL',
);

/** A switch that is on unless set to `false` or `0`. */
const onUnlessFalse = z
  .enum(['true', 'false', '1', '0'])
  .default('true')
  .transform((value) => value === 'true' || value === '1');

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

const countryCode = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine(isCountryCode, 'expected an ISO 3166-1 alpha-2 country code such as DE');
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR');
const minorUnits = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** One shipping method of the configured table (SHIPPING_METHODS). */
const shippingMethodSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, "_" and "-"'),
  name: z.string().trim().min(1).max(100),
  /** Prices are in minor units of this currency; the method is offered for carts in it only. */
  currency: currencyCode,
  price: minorUnits,
  /** Free when the subtotal after discount is at least this much; absent: never free. */
  freeOver: minorUnits.optional(),
  /** Destinations it serves; absent: every country. */
  countries: z.array(countryCode).min(1).optional(),
});

/** Shipping methods when SHIPPING_METHODS is unset: a flat-rate standard, free from 50.00, and express. */
const DEFAULT_SHIPPING_METHODS = JSON.stringify([
  { code: 'standard', name: 'Standard (3-5 days)', currency: 'EUR', price: 495, freeOver: 5000 },
  { code: 'express', name: 'Express (1-2 days)', currency: 'EUR', price: 1495 },
]);

const shippingMethodTable = z
  .string()
  .default(DEFAULT_SHIPPING_METHODS)
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'expected a JSON array of shipping methods' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(shippingMethodSchema)
      .min(1)
      .refine(
        (methods) => new Set(methods.map((method) => method.code)).size === methods.length,
        'every shipping method needs a code of its own',
      ),
  );

/**
 * Standard VAT rates (percent) when TAX_RATES is unset: the EU's, the UK's, Switzerland's and
 * Norway's as of 2025. A starting point, not tax advice: a shop sets its own table.
 */
const DEFAULT_TAX_RATES =
  'AT=20,BE=21,BG=20,HR=25,CY=19,CZ=21,DK=25,EE=24,FI=25.5,FR=20,DE=19,GR=24,HU=27,IE=23,' +
  'IT=22,LV=21,LT=21,LU=17,MT=18,NL=21,PL=23,PT=23,RO=21,SK=23,SI=22,ES=21,SE=25,GB=20,CH=8.1,NO=25';

/** `CC=percent,...` into basis points per country (19 % is 1900; at most two decimals). */
const taxRateTable = z
  .string()
  .default(DEFAULT_TAX_RATES)
  .transform((text, context) => {
    const rates: Record<string, number> = {};
    for (const entry of text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = /^([A-Za-z]{2})\s*=\s*(\d{1,2}(?:\.\d{1,2})?|100)$/.exec(entry);
      const country = match?.[1]?.toUpperCase();
      if (!match || !country || !isCountryCode(country)) {
        context.addIssue({
          code: 'custom',
          message: `expected CC=percent entries (e.g. DE=19,CH=8.1), got "${entry}"`,
        });
        return z.NEVER;
      }
      rates[country] = Math.round(Number(match[2]) * 100);
    }
    return rates;
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: optionalUrl,
  /**
   * Connections each process's PostgreSQL pool may open. Every instance has its own pool (and an
   * outbox relay's LISTEN connection besides): instances × this must stay under the server's
   * max_connections.
   */
  DATABASE_POOL_SIZE: positiveInt(1_000).default(10),
  /**
   * Product rows the catalog keeps in memory while the catalog's read version is unchanged (see
   * subgraphs/catalog/src/product-rows.ts); 0 turns it off.
   */
  PRODUCT_ROW_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  EMBEDDED_POSTGRES_PORT: port(54329),
  DATA_DIR: z.string().default('.data'),

  REDIS_URL: optionalUrl,
  KAFKA_BROKERS: optionalText,
  /**
   * How long published outbox rows, processed-event records and the embedded bus's log are kept
   * (default 7 days, Kafka's default topic retention; keep it at least the topics' retention).
   */
  EVENT_RETENTION_HOURS: positiveInt(24 * 365).default(24 * 7),
  KAFKA_CLIENT_ID: z.string().default('microshop'),
  /**
   * Partitions of each topic the event bus creates (topics that exist keep theirs): the most
   * members of one consumer group that get work, since a partition goes to one member at a time.
   */
  KAFKA_TOPIC_PARTITIONS: positiveInt(1_000).default(3),
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

  /** How long the gateway waits on a subgraph; `<NAME>_TIMEOUT_MS` overrides it for one subgraph. */
  SUBGRAPH_TIMEOUT_MS: milliseconds.default(10_000),
  USERS_TIMEOUT_MS: optionalMilliseconds,
  CATALOG_TIMEOUT_MS: optionalMilliseconds,
  CART_TIMEOUT_MS: optionalMilliseconds,
  ORDERS_TIMEOUT_MS: optionalMilliseconds,
  PAYMENTS_TIMEOUT_MS: optionalMilliseconds,
  SUBGRAPH_MAX_CONNECTIONS: positiveInt(10_000).default(128),
  /** Identical subgraph queries in flight at once (same caller, same body) share one call. */
  SUBGRAPH_DEDUPLICATION: onUnlessFalse,
  /** Identical queries in flight at once (same caller, document and variables) share one execution. */
  OPERATION_DEDUPLICATION: onUnlessFalse,
  /**
   * Anonymous catalog reads answered from the gateway's memory while the catalog's read version is
   * unchanged (see gateway/src/response-cache.ts); the number of answers kept, 0 turns it off.
   */
  RESPONSE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  CIRCUIT_BREAKER_THRESHOLD: positiveInt(1_000).default(5),
  CIRCUIT_BREAKER_COOLDOWN_MS: milliseconds.default(10_000),
  GATEWAY_DRAIN_TIMEOUT_MS: milliseconds.default(10_000),
  /** Gateway processes sharing its port through node:cluster; `auto` is one per core. */
  GATEWAY_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(256)])
    .default(1)
    .transform((value) => (value === 'auto' ? availableParallelism() : value)),

  JWT_PRIVATE_KEY: optionalText,
  JWT_PREVIOUS_PUBLIC_KEY: optionalText,
  JWT_ISSUER: z.string().default('microshop'),
  JWT_AUDIENCE: z.string().default('microshop-api'),
  JWKS_URL: optionalUrl,

  MICROSHOP_ADMIN_PASSWORD: optionalText,

  /** How account mail leaves: `smtp` (SMTP_URL) or `development` (kept in a table); unset: smtp when SMTP_URL is set. */
  MAIL_TRANSPORT: z.enum(['smtp', 'development']).optional(),
  SMTP_URL: optionalUrl.refine(
    (value) => value === undefined || /^smtps?:$/.test(new URL(value).protocol),
    'expected smtp://[user:password@]host[:port] or smtps://...',
  ),
  MAIL_FROM: z.string().trim().min(3).default('MicroShop <no-reply@microshop.local>'),
  /** Where the links in account mail point: the storefront's pages that call resetPassword / verifyEmail. */
  STOREFRONT_URL: httpUrl,
  PASSWORD_RESET_TTL_MINUTES: positiveInt(24 * 60).default(60),
  EMAIL_VERIFICATION_TTL_HOURS: positiveInt(24 * 30).default(48),

  CORS_ORIGINS: originList,
  INTROSPECTION: booleanFlag,
  /**
   * @apollo/gateway's own variable: unless it is true it sends anonymous usage metrics to Apollo
   * every hour. MicroShop sets it for the gateway unless told otherwise.
   */
  APOLLO_TELEMETRY_DISABLED: onUnlessFalse,
  /** Operations one HTTP request may batch; 0 (the default) turns batching off. */
  GRAPHQL_MAX_BATCH_SIZE: z.coerce.number().int().min(0).max(50).default(0),
  PERSISTED_DOCUMENTS: z.enum(['apq', 'trusted', 'off']).default('apq'),
  PERSISTED_DOCUMENTS_MANIFEST: optionalText,
  /** Tracing is off unless one of these (OpenTelemetry's own variables) names an OTLP/HTTP collector. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_SERVICE_NAME: optionalText,
  CI: booleanFlag,

  SHIPPING_METHODS: shippingMethodTable,
  TAX_RATES: taxRateTable,
  /** Whether catalog prices already contain the destination's tax (EU style) or tax is added on top. */
  PRICES_INCLUDE_TAX: booleanFlag,
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
  | { kind: 'kafka'; brokers: string[]; clientId: string; topicPartitions: number }
  | { kind: 'postgres-log' };
export type SearchBackend =
  { kind: 'elasticsearch' | 'opensearch'; url: string } | { kind: 'postgres' };
/** How account mail is delivered: an SMTP server, or the development mailer's table. */
export type MailTransport = { kind: 'smtp'; url: string } | { kind: 'development' };

/**
 * Where spans go: nowhere (the default: the hot path pays only the OpenTelemetry API's no-op),
 * or an OTLP/HTTP collector. `serviceName` overrides every process's own name (OTEL_SERVICE_NAME).
 */
export type TracingBackend =
  { kind: 'off' } | { kind: 'otlp'; tracesUrl: string; serviceName: string | undefined };

export type ShippingMethodConfig = z.infer<typeof shippingMethodSchema>;

/** What checkout charges besides the goods: read by the orders subgraph. */
export interface CheckoutConfig {
  shippingMethods: readonly ShippingMethodConfig[];
  /** Tax rate per destination country in basis points (1900 = 19 %); a country not listed pays none. */
  taxRatesBps: Readonly<Record<string, number>>;
  pricesIncludeTax: boolean;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  logLevel: string;
  namespace: string;
  dataDir: string;
  host: string;
  ci: boolean;
  database: DatabaseBackend;
  /** Connections each process's PostgreSQL pool may open. */
  databasePoolSize: number;
  /**
   * Product rows (with category, variants, images) the catalog keeps, each given only while the
   * catalog's read version is the one it was read under; 0: every read goes to the database.
   */
  productRowCacheEntries: number;
  redis: RedisBackend;
  eventBus: EventBusBackend;
  /** How long the event tables keep a row (see startEventRetention in @microshop/events). */
  eventRetentionMs: number;
  search: SearchBackend;
  tracing: TracingBackend;
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
  checkout: CheckoutConfig;
  mail: { transport: MailTransport; from: string };
  /** Links and lifetimes of the single-use tokens mailed to accounts. */
  accounts: {
    /** Base of the links in account mail (`/reset-password?token=`, `/verify-email?token=`). */
    storefrontUrl: string;
    passwordResetTtlSeconds: number;
    emailVerificationTtlSeconds: number;
  };
  /** How the gateway treats its subgraphs and its own shutdown. */
  resilience: {
    /** No connection, no response headers, or a silent response body for this long: a timeout. */
    subgraphTimeoutMs: Record<SubgraphName, number>;
    /** Keep-alive connections the gateway holds open to each subgraph at most. */
    maxConnectionsPerSubgraph: number;
    /** Whether identical subgraph queries in flight at once share one call. */
    deduplicateQueries: boolean;
    /** Whether identical queries in flight at once share one execution of their query plan. */
    deduplicateOperations: boolean;
    /**
     * Answers of anonymous catalog-only queries the gateway keeps, each valid while the catalog's
     * read version is the one it was read under; 0: no response cache.
     */
    responseCacheEntries: number;
    /** Consecutive failures that open a subgraph's circuit, and how long it stays open. */
    circuitBreaker: { failureThreshold: number; cooldownMs: number };
    /** How long close() waits for in-flight requests before cutting their connections. */
    drainTimeoutMs: number;
  };
  gateway: {
    /**
     * Browser origins allowed to call /graphql cross-origin: `origins` exactly, and any
     * http(s)://localhost / 127.0.0.1 / [::1] origin when `allowLocalhost` (the development default).
     */
    cors: { origins: string[]; allowLocalhost: boolean };
    introspection: boolean;
    /** How many gateway processes share the port (node:cluster); 1 means no cluster. */
    workers: number;
    /** Whether @apollo/gateway may send its anonymous usage metrics to Apollo (off by default). */
    apolloUsageMetrics: boolean;
    /** Operations one HTTP request may batch; 0 means batching is off. */
    maxBatchSize: number;
    persistedDocuments: {
      /** apq: automatic persisted queries; trusted: only manifest documents run; off: neither. */
      mode: PersistedDocumentsMode;
      /** The trusted-documents manifest; undefined means the typed client's generated one. */
      manifestPath: string | undefined;
    };
  };
}

export type PersistedDocumentsMode = 'apq' | 'trusted' | 'off';

/** Where the hosted Apollo Sandbox sends requests from (the embedded one is same-origin). */
const APOLLO_STUDIO_ORIGIN = 'https://studio.apollographql.com';

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

  if (env.MAIL_TRANSPORT === 'smtp' && !env.SMTP_URL) {
    throw new ConfigError(['SMTP_URL: required when MAIL_TRANSPORT=smtp']);
  }
  const mailTransport: MailTransport =
    env.SMTP_URL && env.MAIL_TRANSPORT !== 'development'
      ? { kind: 'smtp', url: env.SMTP_URL }
      : { kind: 'development' };

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
    databasePoolSize: env.DATABASE_POOL_SIZE,
    productRowCacheEntries: env.PRODUCT_ROW_CACHE_ENTRIES,
    redis: env.REDIS_URL ? { kind: 'redis', url: env.REDIS_URL } : { kind: 'memory' },
    eventBus: kafkaBrokers?.length
      ? {
          kind: 'kafka',
          brokers: kafkaBrokers,
          clientId: env.KAFKA_CLIENT_ID,
          topicPartitions: env.KAFKA_TOPIC_PARTITIONS,
        }
      : { kind: 'postgres-log' },
    eventRetentionMs: env.EVENT_RETENTION_HOURS * 60 * 60 * 1000,
    search: env.ELASTICSEARCH_URL
      ? { kind: env.SEARCH_ENGINE, url: env.ELASTICSEARCH_URL }
      : { kind: 'postgres' },
    tracing: tracingOf(env),
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
    checkout: {
      shippingMethods: env.SHIPPING_METHODS,
      taxRatesBps: env.TAX_RATES,
      pricesIncludeTax: env.PRICES_INCLUDE_TAX,
    },
    mail: { transport: mailTransport, from: env.MAIL_FROM },
    accounts: {
      storefrontUrl: (env.STOREFRONT_URL ?? 'http://localhost:3000').replace(/\/+$/, ''),
      passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_MINUTES * 60,
      emailVerificationTtlSeconds: env.EMAIL_VERIFICATION_TTL_HOURS * 60 * 60,
    },
    resilience: {
      subgraphTimeoutMs: {
        users: env.USERS_TIMEOUT_MS ?? env.SUBGRAPH_TIMEOUT_MS,
        catalog: env.CATALOG_TIMEOUT_MS ?? env.SUBGRAPH_TIMEOUT_MS,
        cart: env.CART_TIMEOUT_MS ?? env.SUBGRAPH_TIMEOUT_MS,
        orders: env.ORDERS_TIMEOUT_MS ?? env.SUBGRAPH_TIMEOUT_MS,
        payments: env.PAYMENTS_TIMEOUT_MS ?? env.SUBGRAPH_TIMEOUT_MS,
      },
      maxConnectionsPerSubgraph: env.SUBGRAPH_MAX_CONNECTIONS,
      deduplicateQueries: env.SUBGRAPH_DEDUPLICATION,
      deduplicateOperations: env.OPERATION_DEDUPLICATION,
      responseCacheEntries: env.RESPONSE_CACHE_ENTRIES,
      circuitBreaker: {
        failureThreshold: env.CIRCUIT_BREAKER_THRESHOLD,
        cooldownMs: env.CIRCUIT_BREAKER_COOLDOWN_MS,
      },
      drainTimeoutMs: env.GATEWAY_DRAIN_TIMEOUT_MS,
    },
    gateway: {
      // Unset: development lets local front ends and the hosted Sandbox in; production nobody.
      cors:
        env.CORS_ORIGINS.length > 0 || env.NODE_ENV === 'production'
          ? { origins: env.CORS_ORIGINS, allowLocalhost: false }
          : { origins: [APOLLO_STUDIO_ORIGIN], allowLocalhost: true },
      introspection: env.INTROSPECTION || env.NODE_ENV !== 'production',
      workers: env.GATEWAY_WORKERS,
      apolloUsageMetrics: !env.APOLLO_TELEMETRY_DISABLED,
      maxBatchSize: env.GRAPHQL_MAX_BATCH_SIZE,
      persistedDocuments: {
        mode: env.PERSISTED_DOCUMENTS,
        manifestPath: env.PERSISTED_DOCUMENTS_MANIFEST,
      },
    },
  } satisfies Config);
}

/**
 * The OTLP/HTTP traces URL as OpenTelemetry's specification derives it: the traces variable as it
 * is, else `v1/traces` under the generic endpoint.
 */
function tracingOf(env: z.infer<typeof envSchema>): TracingBackend {
  const generic = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const tracesUrl =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (generic ? `${generic}/v1/traces` : undefined);
  return tracesUrl
    ? { kind: 'otlp', tracesUrl, serviceName: env.OTEL_SERVICE_NAME?.trim() }
    : { kind: 'off' };
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
