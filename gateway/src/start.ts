import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer, type ApolloServerPlugin, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGateway } from '@apollo/gateway';
import { bearerToken, createTokenVerifier, type Principal } from '@microshop/auth';
import { SUBGRAPH_NAMES, type Config, type SubgraphName } from '@microshop/config';
import {
  handleGraphQLRequest,
  maskError,
  openInOrder,
  operationSpanPlugin,
  requestIdOf,
  requestIdPlugin,
  sendJson,
  REQUEST_ID_HEADER,
  type Logger,
  type RequestContext,
  type RunningServer,
  type ScreenedRequest,
} from '@microshop/runtime';
import { inHttpServerSpan, tracerOf } from '@microshop/telemetry';
import { createCache } from '@microshop/cache';
import { createCors } from './cors.ts';
import { checkSubgraphs } from './health.ts';
import { createHttpDrain } from './http-drain.ts';
import { metricsReader } from './cluster.ts';
import { createGatewayMetrics } from './metrics.ts';
import { createRequestLog, requestSummaryPlugin, subgraphCallObserver } from './request-log.ts';
import { batchSizeScreen, DEFAULT_OPERATION_LIMITS, operationLimits } from './operation-limits.ts';
import { deduplicatingGateway } from './operation-deduplication.ts';
import { OrderStatusHub } from './order-status-hub.ts';
import {
  DEFAULT_MANIFEST_PATH,
  TrustedDocuments,
  admitTrusted,
  apqCache,
} from './persisted-documents.ts';
import { startOrderStatusFeed } from './order-status-feed.ts';
import { InFlightByCaller } from './in-flight.ts';
import {
  SubgraphDataSource,
  type InFlightSubgraphCalls,
  type SubgraphCallObserver,
} from './subgraph-data-source.ts';
import { startSubscriptionServer, type ExecuteThroughGateway } from './subscriptions.ts';

export const SUPERGRAPH_PATH = new URL('../../schema/supergraph.graphql', import.meta.url);
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;

export interface GatewayOptions {
  /** Defaults to the checked-in schema/supergraph.graphql. */
  supergraphSdl?: string;
  /** Told of every subgraph call: its subgraph, duration and outcome. */
  onSubgraphCall?: SubgraphCallObserver;
}

function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

function sendGraphQLError(
  res: ServerResponse,
  status: number,
  error: { message: string; code: string },
  requestId: string,
): void {
  sendJson(res, status, {
    errors: [{ message: error.message, extensions: { code: error.code, requestId } }],
  });
}

/** The caller's identity from `Authorization: Bearer`, or why it is refused (before any planning). */
async function authenticate(
  verify: (token: string) => Promise<Principal>,
  authorization: string | undefined,
): Promise<
  { principal: Principal | null } | { refused: { status: number; message: string; code: string } }
> {
  try {
    const token = bearerToken(authorization);
    return { principal: token ? await verify(token) : null };
  } catch (error) {
    const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } })
      .extensions;
    if (typeof extensions?.code === 'string') {
      const status = typeof extensions.http?.status === 'number' ? extensions.http.status : 401;
      return { refused: { status, message: (error as Error).message, code: extensions.code } };
    }
    throw error;
  }
}

/**
 * The gateway: one node:http server with `/graphql` (Apollo Server over @apollo/gateway for HTTP,
 * graphql-ws for subscriptions), `/health/live`, `/health/ready` and `/metrics`.
 */
export async function startGateway(
  config: Config,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<RunningServer> {
  const supergraphSdl = options.supergraphSdl ?? (await readFile(SUPERGRAPH_PATH, 'utf8'));
  const verifier = createTokenVerifier(config.jwt);
  const metrics = createGatewayMetrics();
  const readMetrics = metricsReader(metrics.registry);
  const requestLog = createRequestLog(logger, metrics);
  // Defined when the gateway's tracing was started (its entry point, or the test harness).
  const tracer = tracerOf('gateway');
  const recordSubgraphCall = subgraphCallObserver(metrics, options.onSubgraphCall);
  const hub = new OrderStatusHub();

  const dataSources: SubgraphDataSource[] = [];
  const subgraphCallsInFlight: InFlightSubgraphCalls = new InFlightByCaller();
  // @apollo/gateway reads this variable itself, in its constructor, to decide whether to report
  // usage metrics to Apollo's servers: a deployment shares nothing unless configured to.
  if (!config.gateway.apolloUsageMetrics) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name }) => {
      if (!isSubgraphName(name))
        throw new Error(`The supergraph names an unknown subgraph "${name}"`);
      const dataSource = new SubgraphDataSource({
        name,
        url: config.subgraphUrls[name],
        timeoutMs: config.resilience.subgraphTimeoutMs[name],
        maxConnections: config.resilience.maxConnectionsPerSubgraph,
        deduplicateQueries: config.resilience.deduplicateQueries,
        inFlight: subgraphCallsInFlight,
        circuitBreaker: config.resilience.circuitBreaker,
        logger,
        onCall: recordSubgraphCall,
        onCircuitStateChange: (subgraph, state) => metrics.observeCircuitState(subgraph, state),
      });
      metrics.observeCircuitState(name, 'closed');
      dataSources.push(dataSource);
      return dataSource;
    },
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((schema) => {
    apiSchema = schema.apiSchema;
  });

  // Refused before planning, in every environment (issue 7); the subscription path applies them too.
  const limits = operationLimits<RequestContext>({
    ...DEFAULT_OPERATION_LIMITS,
    hideSuggestions: config.isProduction,
  });
  const { mode: persistedDocumentsMode, manifestPath } = config.gateway.persistedDocuments;
  // Read first: a missing or broken manifest stops the gateway before it opens anything.
  const trustedDocuments =
    persistedDocumentsMode === 'trusted'
      ? await TrustedDocuments.load(manifestPath ?? DEFAULT_MANIFEST_PATH)
      : undefined;
  const persistedQueryStore =
    persistedDocumentsMode === 'apq' ? await createCache(config, { logger }) : undefined;
  const cors = createCors(config.gateway.cors);
  const apollo = new ApolloServer<RequestContext>({
    gateway: config.resilience.deduplicateOperations ? deduplicatingGateway(gateway) : gateway,
    allowBatchedHttpRequests: config.gateway.maxBatchSize > 0,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    introspection: config.gateway.introspection,
    includeStacktraceInErrorResponses: false,
    // Shutdown is the process's (runProcess), which drains before Apollo Server stops.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    persistedQueries: persistedQueryStore
      ? { cache: apqCache(persistedQueryStore, logger) }
      : false,
    formatError: (formatted, error) =>
      maskError(formatted, error, { showInternalMessages: !config.isProduction }),
    plugins: [
      ...limits.plugins,
      requestIdPlugin(),
      ...(tracer ? [operationSpanPlugin<RequestContext>()] : []),
      requestSummaryPlugin(),
      // Sandbox explores the schema by introspection: one is offered exactly when the other is
      // (outside production, or INTROSPECTION=true).
      config.gateway.introspection
        ? (ApolloServerPluginLandingPageLocalDefault({
            embed: true,
          }) as ApolloServerPlugin<RequestContext>)
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });

  // Before Apollo Server sees a request: the batch size, then (in trusted mode) the manifest.
  const screenBatch = batchSizeScreen(config.gateway.maxBatchSize);
  const screenRequest = (request: HTTPGraphQLRequest): ScreenedRequest => {
    const screened = screenBatch(request);
    return 'refuse' in screened || !trustedDocuments
      ? screened
      : admitTrusted(trustedDocuments, request);
  };

  const executeThroughGateway: ExecuteThroughGateway = async (request, context) => {
    const response = await apollo.executeOperation(request, { contextValue: context });
    if (response.body.kind !== 'single')
      throw new Error('Incremental delivery is not used by subscriptions');
    return response.body.singleResult;
  };

  async function serveGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const summary = requestLog.begin(requestId, res);
    const authorization = req.headers.authorization;
    const auth = await authenticate((token) => verifier.verify(token), authorization);
    if ('refused' in auth) {
      sendGraphQLError(res, auth.refused.status, auth.refused, requestId);
      return;
    }
    await handleGraphQLRequest(apollo, req, res, {
      maxBodyBytes: MAX_BODY_BYTES,
      errorExtensions: { requestId },
      screen: screenRequest,
      context: async () => ({
        requestId,
        log: logger.child({ requestId }),
        principal: auth.principal,
        authorization,
        // The gateway is the edge: a client's own x-forwarded-for is not trusted here.
        clientAddress: req.socket.remoteAddress,
        summary,
      }),
    });
  }

  const routes: Record<
    string,
    (req: IncomingMessage, res: ServerResponse) => Promise<void> | void
  > = {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
    '/health/ready': async (_req, res) => {
      if (drain.draining) {
        sendJson(res, 503, { status: 'draining', service: 'gateway' });
        return;
      }
      const subgraphs = await checkSubgraphs(config.subgraphUrls);
      const ready = subgraphs.every((subgraph) => subgraph.ready);
      sendJson(res, ready ? 200 : 503, {
        status: ready ? 'ok' : 'unavailable',
        service: 'gateway',
        subgraphs,
      });
    },
    '/metrics': async (_req, res) => {
      const body = await readMetrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
    },
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/graphql') {
        if (cors.handlePreflight(req, res)) return;
        cors.decorate(req, res);
        await inHttpServerSpan(tracer, req, res, { 'microshop.request_id': requestId }, () =>
          serveGraphQL(req, res, requestId),
        );
        return;
      }
      const route = req.method === 'GET' ? routes[path] : undefined;
      if (route) {
        await route(req, res);
        return;
      }
      sendJson(res, 404, { error: 'not found' });
    } catch (error) {
      logger.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) {
        sendGraphQLError(
          res,
          500,
          { message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' },
          requestId,
        );
      } else res.end();
    }
  };

  const server = createServer();
  server.keepAliveTimeout = 65_000;
  const drain = createHttpDrain(server, handleRequest, config.resilience.drainTimeoutMs);

  // Closed newest first: stop accepting, end the feed and the subscriptions, let in-flight
  // requests finish, then the subgraph connections and Apollo Server.
  const { value: port, close } = await openInOrder(async (onClose) => {
    if (persistedQueryStore) onClose(() => persistedQueryStore.close());
    await apollo.start();
    onClose(() => apollo.stop());
    onClose(async () => {
      await Promise.all(dataSources.map((dataSource) => dataSource.close()));
    });
    onClose(() => drain.finish());

    const subscriptions = startSubscriptionServer({
      httpServer: server,
      path: '/graphql',
      apiSchema: () => {
        if (!apiSchema) throw new Error('The gateway has not loaded its schema');
        return apiSchema;
      },
      execute: executeThroughGateway,
      parseOptions: limits.parseOptions,
      validationRules: limits.validationRules,
      trustedDocuments,
      verifier,
      hub,
      allowsUpgrade: (req) => cors.allowsUpgrade(req),
      logger: logger.child({ component: 'subscriptions' }),
      isProduction: config.isProduction,
      maxSubscriptionsPerConnection: MAX_SUBSCRIPTIONS_PER_CONNECTION,
      onActiveSubscriptionsChange: (delta) => metrics.activeSubscriptions.inc(delta),
    });
    onClose(() => subscriptions.close());

    const feed = await startOrderStatusFeed(config, {
      logger,
      hub,
      onLag: (lag) => metrics.observeConsumerLag('order-status-feed', lag),
    });
    onClose(() => feed.close());

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.ports.gateway, config.host, () => resolve());
    });
    onClose(async () => drain.begin());
    return (server.address() as AddressInfo).port;
  });
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url }, 'gateway ready');

  return { url, port, close };
}
