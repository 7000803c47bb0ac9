import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DocumentNode } from 'graphql';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { bearerToken, type TokenVerifier } from '@microshop/auth';
import { activeSpan, inHttpServerSpan, tracerOf } from '@microshop/telemetry';
import type { RequestContext } from './context.ts';
import { isRefusedRequest, maskError } from './errors.ts';
import {
  clientAddressOf,
  handleGraphQLRequest,
  requestIdOf,
  sendJson,
  REQUEST_ID_HEADER,
} from './http.ts';
import type { Logger } from './logger.ts';

/** One `{ typeDefs, resolvers }` module as buildSubgraphSchema takes it. */
type SchemaModule = Exclude<
  Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number],
  DocumentNode
>;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface SubgraphServerOptions<TContext extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  /** The generated, typed resolver map; Apollo's own map type is looser but the same object. */
  resolvers: object;
  verifier: TokenVerifier;
  logger: Logger;
  /** Show internal error messages to clients (never stack traces); off in production. */
  showInternalErrors: boolean;
  /** Adds per-request state (DataLoaders, services) on top of the base request context. */
  context: (base: RequestContext) => TContext | Promise<TContext>;
  /** Extra GET routes, e.g. the JWKS of the users subgraph. */
  routes?: Record<string, RouteHandler>;
  /** Throws when a dependency the service cannot work without is unreachable. */
  readiness?: () => Promise<void>;
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Adds the request id to every error, so a client report can be matched with the logs. */
export function requestIdPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            // A refused request is the client's mistake, answered as BAD_REQUEST: not a failure.
            if (
              (code === undefined && !isRefusedRequest(error)) ||
              code === 'INTERNAL_SERVER_ERROR'
            ) {
              contextValue.log.error(
                { err: error.originalError ?? error, path: error.path },
                'resolver failed',
              );
            }
          }
        },
        async willSendResponse({ contextValue, response }) {
          // Once the operation executed, errors are field errors: a 401/403 status would make
          // the gateway drop this subgraph's partial data along with the error's code.
          if (response.body.kind === 'single' && response.body.singleResult.data !== undefined) {
            response.http.status = 200;
          }
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            for (const error of response.body.singleResult.errors) {
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}

/** Adds the GraphQL operation to the request's trace span once Apollo has resolved it. */
export function operationSpanPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          activeSpan()?.setAttributes({
            'graphql.operation.type': operation.operation,
            ...(operationName ? { 'graphql.operation.name': operationName } : {}),
          });
        },
      };
    },
  };
}

export async function startSubgraphServer<TContext extends RequestContext>(
  options: SubgraphServerOptions<TContext>,
  listen: { port: number; host: string },
): Promise<RunningServer> {
  // Defined when this service's tracing was started (see @microshop/telemetry); otherwise requests
  // take no tracing path at all.
  const tracer = tracerOf(options.name);
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema([
      { typeDefs: options.typeDefs, resolvers: options.resolvers as SchemaModule['resolvers'] },
    ]),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) =>
      maskError(formatted, error, { showInternalMessages: options.showInternalErrors }),
    // Federated tracing is not collected (no Apollo Studio): skip its per-request cost.
    plugins: [
      requestIdPlugin() as ApolloServerPlugin<TContext>,
      ApolloServerPluginInlineTraceDisabled(),
      ...(tracer ? [operationSpanPlugin<TContext>()] : []),
    ],
    // Subgraphs are reached only by the gateway, which runs its own CSRF prevention.
    csrfPrevention: false,
  });
  await apollo.start();

  const routes: Record<string, RouteHandler> = {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok', service: options.name }),
    '/health/ready': async (_req, res) => {
      try {
        await options.readiness?.();
        sendJson(res, 200, { status: 'ok', service: options.name });
      } catch (error) {
        options.logger.warn({ err: error }, 'readiness check failed');
        sendJson(res, 503, { status: 'unavailable', service: options.name });
      }
    },
    ...options.routes,
  };

  const server = createServer(async (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/graphql') {
        const log = options.logger.child({ requestId });
        await inHttpServerSpan(tracer, req, res, { 'microshop.request_id': requestId }, () =>
          handleGraphQLRequest(apollo, req, res, {
            maxBodyBytes: options.maxBodyBytes ?? 5 * 1024 * 1024,
            errorExtensions: { requestId },
            context: async () => {
              const authorization = req.headers.authorization;
              const token = bearerToken(authorization);
              const principal = token ? await options.verifier.verify(token) : null;
              return options.context({
                requestId,
                log,
                principal,
                authorization,
                clientAddress: clientAddressOf(req),
              });
            },
          }),
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
      options.logger.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error', requestId });
      else res.end();
    }
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${listen.host}:${port}/graphql`;
  options.logger.info({ url }, `${options.name} subgraph ready`);

  return {
    url,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
