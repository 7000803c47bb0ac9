import { readFile } from 'node:fs/promises';
import { createTokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import type { Logger, RunningServer } from '@microshop/runtime';
import { tracerOf } from '@microshop/telemetry';
import { authenticationFeature } from './authentication.ts';
import { composeGateway } from './compose.ts';
import { corsFeature } from './cors.ts';
import type { GatewayFeature } from './feature.ts';
import { healthFeature } from './health.ts';
import { LIVE_FIELDS } from './live-fields/index.ts';
import { createGatewayMetrics, metricsFeature } from './metrics.ts';
import { operationDeduplicationFeature } from './operation-deduplication.ts';
import { DEFAULT_OPERATION_LIMITS, operationLimitsFeature } from './operation-limits.ts';
import { persistedDocumentsFeature } from './persisted-documents.ts';
import { requestLogFeature } from './request-log.ts';
import { responseCacheFeature } from './response-cache.ts';
import { schemaExposureFeature } from './schema-exposure.ts';
import type { SubgraphCallObserver } from './subgraph-data-source.ts';
import { liveFieldsFeature } from './subscriptions.ts';
import { tracingFeature } from './tracing.ts';

export const SUPERGRAPH_PATH = new URL('../../schema/supergraph.graphql', import.meta.url);

export interface GatewayOptions {
  /** Defaults to the checked-in schema/supergraph.graphql. */
  supergraphSdl?: string;
  /** Told of every subgraph call: its subgraph, duration and outcome. */
  onSubgraphCall?: SubgraphCallObserver;
}

/**
 * The gateway: its features, chosen from the configuration, composed around Apollo Server over
 * @apollo/gateway on one node:http server. The order of the list is the order in which each
 * GraphQL HTTP request meets them (CORS before the span, the log line before authentication, so a
 * refused token is logged; the batch size before the manifest) and the reverse of the order in
 * which they are closed.
 */
export async function startGateway(
  config: Config,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<RunningServer> {
  const supergraphSdl = options.supergraphSdl ?? (await readFile(SUPERGRAPH_PATH, 'utf8'));
  const verifier = createTokenVerifier(config.jwt);
  const metrics = createGatewayMetrics();
  // Defined when the gateway's tracing was started (its entry point, or the test harness).
  const tracer = tracerOf('gateway');
  const features: GatewayFeature[] = [
    corsFeature(config.gateway.cors),
    ...(tracer ? [tracingFeature(tracer)] : []),
    requestLogFeature(logger, metrics, options.onSubgraphCall),
    authenticationFeature(verifier),
    operationLimitsFeature(
      { ...DEFAULT_OPERATION_LIMITS, hideSuggestions: config.isProduction },
      config.gateway.maxBatchSize,
    ),
    // The only factory that opens something (the APQ store) or can fail (a broken manifest); the
    // batch size is screened before the manifest is searched.
    await persistedDocumentsFeature(config, logger),
    ...(config.resilience.deduplicateOperations ? [operationDeduplicationFeature()] : []),
    // After the deduplication: its executor wraps that one, so a kept answer is looked up first.
    // It reads the catalog's version from the database: without one, there is no cache.
    ...(config.resilience.responseCacheEntries > 0 && config.database.kind === 'postgres'
      ? [
          responseCacheFeature({
            databaseUrl: config.database.url,
            maxEntries: config.resilience.responseCacheEntries,
            logger,
          }),
        ]
      : []),
    schemaExposureFeature(config.gateway.introspection),
    healthFeature(config.subgraphUrls),
    metricsFeature(metrics),
    liveFieldsFeature(LIVE_FIELDS, { config, logger, verifier, metrics }),
  ];
  return composeGateway({ config, logger, supergraphSdl }, features);
}
