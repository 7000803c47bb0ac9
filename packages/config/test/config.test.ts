import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

describe('loadConfig', () => {
  it('chooses the embedded default for every backend when no URL is set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'embedded', port: 54329, dataDir: '.data' });
    expect(config.redis).toEqual({ kind: 'memory' });
    expect(config.eventBus).toEqual({ kind: 'postgres-log' });
    expect(config.search).toEqual({ kind: 'postgres' });
    expect(config.ports).toEqual({
      gateway: 4000,
      users: 4001,
      catalog: 4002,
      cart: 4003,
      orders: 4004,
      payments: 4005,
    });
    expect(config.subgraphUrls.catalog).toBe('http://127.0.0.1:4002/graphql');
    expect(config.gateway.introspection).toBe(true);
  });

  it('chooses a real backend when its URL is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://postgres@db:5432/shop',
      REDIS_URL: 'redis://cache:6379',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      ELASTICSEARCH_URL: 'http://search:9200',
      SEARCH_ENGINE: 'opensearch',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://postgres@db:5432/shop',
    });
    expect(config.redis).toEqual({ kind: 'redis', url: 'redis://cache:6379' });
    expect(config.eventBus).toEqual({
      kind: 'kafka',
      brokers: ['k1:9092', 'k2:9092'],
      clientId: 'microshop',
      topicPartitions: 3,
    });
    expect(config.search).toEqual({ kind: 'opensearch', url: 'http://search:9200' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_URL: '', KAFKA_BROKERS: ' ' }).redis.kind).toBe('memory');
    expect(loadConfig({ KAFKA_BROKERS: ' ' }).eventBus.kind).toBe('postgres-log');
  });

  it("sizes each process's PostgreSQL pool from DATABASE_POOL_SIZE, 10 by default", () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '4' }).databasePoolSize).toBe(4);
  });

  it('takes the partitions of the topics the bus creates from KAFKA_TOPIC_PARTITIONS', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'k1:9092', KAFKA_TOPIC_PARTITIONS: '6' });
    expect(config.eventBus).toMatchObject({ kind: 'kafka', topicPartitions: 6 });
  });

  it.each([
    [{ GATEWAY_PORT: 'abc' }, 'GATEWAY_PORT'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    [{ KAFKA_TOPIC_PARTITIONS: '0' }, 'KAFKA_TOPIC_PARTITIONS'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
    [{ SEARCH_ENGINE: 'solr' }, 'SEARCH_ENGINE'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'DATABASE_URL'],
    [{ NAMESPACE: 'Has Spaces' }, 'NAMESPACE'],
    [{ MAIL_TRANSPORT: 'smtp' }, 'SMTP_URL'],
    [{ MAIL_TRANSPORT: 'pigeon' }, 'MAIL_TRANSPORT'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL'],
    [{ STOREFRONT_URL: 'ftp://shop.example' }, 'STOREFRONT_URL'],
    [{ PASSWORD_RESET_TTL_MINUTES: '0' }, 'PASSWORD_RESET_TTL_MINUTES'],
    [{ EMAIL_VERIFICATION_TTL_HOURS: 'soon' }, 'EMAIL_VERIFICATION_TTL_HOURS'],
  ])('names the variable at fault: %o', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(variable));
  });

  it('keeps account mail in the development table unless an SMTP server is named', () => {
    expect(loadConfig({}).mail).toEqual({
      transport: { kind: 'development' },
      from: 'MicroShop <no-reply@microshop.local>',
    });
    expect(loadConfig({}).accounts).toEqual({
      storefrontUrl: 'http://localhost:3000',
      passwordResetTtlSeconds: 3600,
      emailVerificationTtlSeconds: 48 * 3600,
    });
    const smtp = { SMTP_URL: 'smtps://shop:secret@mail.example:465' };
    expect(loadConfig(smtp).mail.transport).toEqual({ kind: 'smtp', url: smtp.SMTP_URL });
    expect(loadConfig({ ...smtp, MAIL_TRANSPORT: 'development' }).mail.transport).toEqual({
      kind: 'development',
    });
    expect(
      loadConfig({ STOREFRONT_URL: 'https://shop.example/', PASSWORD_RESET_TTL_MINUTES: '15' })
        .accounts,
    ).toMatchObject({ storefrontUrl: 'https://shop.example', passwordResetTtlSeconds: 900 });
  });

  it('turns introspection off in production unless explicitly enabled', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/shop' };
    expect(loadConfig(production).gateway.introspection).toBe(false);
    expect(loadConfig({ ...production, INTROSPECTION: 'true' }).gateway.introspection).toBe(true);
  });

  it("reads the gateway's subgraph timeouts, breaker and drain settings, with defaults", () => {
    expect(loadConfig({}).resilience).toEqual({
      subgraphTimeoutMs: {
        users: 10_000,
        catalog: 10_000,
        cart: 10_000,
        orders: 10_000,
        payments: 10_000,
      },
      maxConnectionsPerSubgraph: 128,
      deduplicateQueries: true,
      deduplicateOperations: true,
      responseCacheEntries: 10_000,
      circuitBreaker: { failureThreshold: 5, cooldownMs: 10_000 },
      drainTimeoutMs: 10_000,
    });
    expect(loadConfig({ SUBGRAPH_DEDUPLICATION: 'false' }).resilience.deduplicateQueries).toBe(
      false,
    );
    expect(() => loadConfig({ SUBGRAPH_DEDUPLICATION: 'maybe' })).toThrow(/SUBGRAPH_DEDUPLICATION/);
    expect(loadConfig({ OPERATION_DEDUPLICATION: '0' }).resilience.deduplicateOperations).toBe(
      false,
    );
    expect(loadConfig({ RESPONSE_CACHE_ENTRIES: '0' }).resilience.responseCacheEntries).toBe(0);
    expect(() => loadConfig({ RESPONSE_CACHE_ENTRIES: '-1' })).toThrow(/RESPONSE_CACHE_ENTRIES/);
    expect(loadConfig({}).productRowCacheEntries).toBe(10_000);
    expect(loadConfig({ PRODUCT_ROW_CACHE_ENTRIES: '0' }).productRowCacheEntries).toBe(0);
    expect(() => loadConfig({ PRODUCT_ROW_CACHE_ENTRIES: 'many' })).toThrow(
      /PRODUCT_ROW_CACHE_ENTRIES/,
    );
    const tuned = loadConfig({
      SUBGRAPH_TIMEOUT_MS: '2000',
      PAYMENTS_TIMEOUT_MS: '500',
      USERS_TIMEOUT_MS: '',
      CIRCUIT_BREAKER_THRESHOLD: '3',
    }).resilience;
    expect(tuned.subgraphTimeoutMs).toMatchObject({ payments: 500, users: 2_000, orders: 2_000 });
    expect(tuned.circuitBreaker.failureThreshold).toBe(3);
    expect(() => loadConfig({ CART_TIMEOUT_MS: '0' })).toThrow(/CART_TIMEOUT_MS/);
    expect(() => loadConfig({ GATEWAY_DRAIN_TIMEOUT_MS: 'soon' })).toThrow(
      /GATEWAY_DRAIN_TIMEOUT_MS/,
    );
  });

  it("keeps @apollo/gateway's usage metrics to Apollo off unless APOLLO_TELEMETRY_DISABLED=false", () => {
    expect(loadConfig({}).gateway.apolloUsageMetrics).toBe(false);
    expect(loadConfig({ APOLLO_TELEMETRY_DISABLED: 'false' }).gateway.apolloUsageMetrics).toBe(
      true,
    );
  });

  it('keeps HTTP batching off unless GRAPHQL_MAX_BATCH_SIZE allows a small batch', () => {
    expect(loadConfig({}).gateway.maxBatchSize).toBe(0);
    expect(loadConfig({ GRAPHQL_MAX_BATCH_SIZE: '5' }).gateway.maxBatchSize).toBe(5);
    expect(() => loadConfig({ GRAPHQL_MAX_BATCH_SIZE: '500' })).toThrow(/GRAPHQL_MAX_BATCH_SIZE/);
  });

  it('reads the gateway worker count: a number, or auto for one per core', () => {
    expect(loadConfig({}).gateway.workers).toBe(1);
    expect(loadConfig({ GATEWAY_WORKERS: '3' }).gateway.workers).toBe(3);
    expect(loadConfig({ GATEWAY_WORKERS: 'auto' }).gateway.workers).toBe(availableParallelism());
    expect(() => loadConfig({ GATEWAY_WORKERS: '0' })).toThrow(/GATEWAY_WORKERS/);
    expect(() => loadConfig({ GATEWAY_WORKERS: 'many' })).toThrow(/GATEWAY_WORKERS/);
  });

  it('reads the CORS allow-list, with a permissive local default outside production only', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/shop' };
    expect(loadConfig({}).gateway.cors).toEqual({
      origins: ['https://studio.apollographql.com'],
      allowLocalhost: true,
    });
    expect(loadConfig(production).gateway.cors).toEqual({ origins: [], allowLocalhost: false });
    expect(
      loadConfig({ CORS_ORIGINS: 'https://shop.example, http://localhost:5173' }).gateway.cors,
    ).toEqual({
      origins: ['https://shop.example', 'http://localhost:5173'],
      allowLocalhost: false,
    });
    expect(() => loadConfig({ CORS_ORIGINS: 'https://shop.example/' })).toThrow(/CORS_ORIGINS/);
  });

  it('reads the persisted-documents mode: APQ by default, trusted or off on request', () => {
    expect(loadConfig({}).gateway.persistedDocuments).toEqual({
      mode: 'apq',
      manifestPath: undefined,
    });
    expect(
      loadConfig({ PERSISTED_DOCUMENTS: 'trusted', PERSISTED_DOCUMENTS_MANIFEST: '/etc/pd.json' })
        .gateway.persistedDocuments,
    ).toEqual({ mode: 'trusted', manifestPath: '/etc/pd.json' });
    expect(() => loadConfig({ PERSISTED_DOCUMENTS: 'strict' })).toThrow(/PERSISTED_DOCUMENTS/);
  });

  it('reads the checkout tables: a default shipping table and VAT rates, tax added on top', () => {
    const { checkout } = loadConfig({});
    expect(
      checkout.shippingMethods.map((method) => [method.code, method.price, method.freeOver]),
    ).toEqual([
      ['standard', 495, 5000],
      ['express', 1495, undefined],
    ]);
    expect(checkout.taxRatesBps).toMatchObject({ DE: 1900, FI: 2550, CH: 810 });
    expect(checkout.pricesIncludeTax).toBe(false);

    const configured = loadConfig({
      SHIPPING_METHODS: JSON.stringify([
        { code: 'pickup', name: 'Pickup', currency: 'USD', price: 0, countries: ['us'] },
      ]),
      TAX_RATES: 'us=7.25, ca=5',
      PRICES_INCLUDE_TAX: 'true',
    }).checkout;
    expect(configured).toEqual({
      shippingMethods: [
        { code: 'pickup', name: 'Pickup', currency: 'USD', price: 0, countries: ['US'] },
      ],
      taxRatesBps: { US: 725, CA: 500 },
      pricesIncludeTax: true,
    });
  });

  it('refuses a shipping table or tax table that is not what it should be, naming the variable', () => {
    const method = { code: 'standard', name: 'Standard', currency: 'EUR', price: 495 };
    for (const table of [
      'not json',
      '[]',
      JSON.stringify([method, method]),
      JSON.stringify([{ ...method, countries: ['XX'] }]),
      JSON.stringify([{ ...method, price: -1 }]),
      JSON.stringify([{ ...method, priceTypo: 1 }]),
    ]) {
      expect(() => loadConfig({ SHIPPING_METHODS: table })).toThrow(/SHIPPING_METHODS/);
    }
    for (const rates of ['DE', 'DE=19%', 'XX=10', 'DE=101', 'DE=19.123']) {
      expect(() => loadConfig({ TAX_RATES: rates })).toThrow(/TAX_RATES/);
    }
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
