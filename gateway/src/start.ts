import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGateway } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { bearerToken, createTokenVerifier, type Principal } from '@microshop/auth';
import { SUBGRAPH_NAMES, type Config, type SubgraphName } from '@microshop/config';
import {
  handleGraphQLRequest,
  maskError,
  openInOrder,
  requestIdOf,
  requestIdPlugin,
  sendJson,
  REQUEST_ID_HEADER,
  type Logger,
  type RequestContext,
  type RunningServer,
} from '@microshop/runtime';
import { checkSubgraphs } from './health.ts';
import { createGatewayMetrics } from './metrics.ts';
import { DEFAULT_OPERATION_LIMITS, operationLimits } from './operation-limits.ts';
import { OrderStatusHub } from './order-status-hub.ts';
import { startOrderStatusFeed } from './order-status-feed.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';

// Node's fetch under Apollo's fetcher type: the data source only ever sends string bodies, and the
// two RequestInit declarations differ in which binary bodies they name.
const nodeFetch: Fetcher = (url, init) => fetch(url, init as unknown as RequestInit);
import { startSubscriptionServer, type ExecuteThroughGateway } from './subscriptions.ts';

export const SUPERGRAPH_PATH = new URL('../../schema/supergraph.graphql', import.meta.url);
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;

export interface GatewayOptions {
  /** Defaults to the checked-in schema/supergraph.graphql. */
  supergraphSdl?: string;
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
  const hub = new OrderStatusHub();

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name }) => {
      if (!isSubgraphName(name))
        throw new Error(`The supergraph names an unknown subgraph "${name}"`);
      // Node's own fetch: pooled keep-alive connections, without the HTTP-cache layer of the
      // default fetcher (make-fetch-happen) on every subgraph call.
      return new SubgraphDataSource({ url: config.subgraphUrls[name], fetcher: nodeFetch });
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
  const apollo = new ApolloServer<RequestContext>({
    gateway,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    introspection: config.gateway.introspection,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    formatError: (formatted, error) =>
      maskError(formatted, error, { showInternalMessages: !config.isProduction }),
    plugins: [
      ...limits.plugins,
      requestIdPlugin(),
      config.isProduction
        ? ApolloServerPluginLandingPageDisabled()
        : (ApolloServerPluginLandingPageLocalDefault({
            embed: true,
          }) as ApolloServerPlugin<RequestContext>),
    ],
  });

  const executeThroughGateway: ExecuteThroughGateway = async (request, context) => {
    const response = await apollo.executeOperation(request, { contextValue: context });
    if (response.body.kind !== 'single')
      throw new Error('Incremental delivery is not used by subscriptions');
    return response.body.singleResult;
  };

  async function serveGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => metrics.observeRequest(res.statusCode, startedAt));
    const authorization = req.headers.authorization;
    const auth = await authenticate((token) => verifier.verify(token), authorization);
    if ('refused' in auth) {
      sendGraphQLError(res, auth.refused.status, auth.refused, requestId);
      return;
    }
    await handleGraphQLRequest(apollo, req, res, {
      maxBodyBytes: MAX_BODY_BYTES,
      context: async () => ({
        requestId,
        log: logger.child({ requestId }),
        principal: auth.principal,
        authorization,
        // The gateway is the edge: a client's own x-forwarded-for is not trusted here.
        clientAddress: req.socket.remoteAddress,
      }),
    });
  }

  const routes: Record<
    string,
    (req: IncomingMessage, res: ServerResponse) => Promise<void> | void
  > = {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
    '/health/ready': async (_req, res) => {
      const subgraphs = await checkSubgraphs(config.subgraphUrls);
      const ready = subgraphs.every((subgraph) => subgraph.ready);
      sendJson(res, ready ? 200 : 503, {
        status: ready ? 'ok' : 'unavailable',
        service: 'gateway',
        subgraphs,
      });
    },
    '/metrics': async (_req, res) => {
      const body = await metrics.registry.metrics();
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
        await serveGraphQL(req, res, requestId);
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

  const { value: port, close } = await openInOrder(async (onClose) => {
    await apollo.start();
    onClose(() => apollo.stop());

    const server = createServer(handleRequest);
    server.keepAliveTimeout = 65_000;
    onClose(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );

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
      verifier,
      hub,
      logger: logger.child({ component: 'subscriptions' }),
      isProduction: config.isProduction,
      maxSubscriptionsPerConnection: MAX_SUBSCRIPTIONS_PER_CONNECTION,
      onActiveSubscriptionsChange: (delta) => metrics.activeSubscriptions.inc(delta),
    });
    onClose(() => subscriptions.close());

    const feed = await startOrderStatusFeed(config, { logger, hub });
    onClose(() => feed.close());

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.ports.gateway, config.host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  });
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url }, 'gateway ready');

  return { url, port, close };
}
