import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloGateway, type Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
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
  type RouteHandler,
  type RunningServer,
  type ScreenedRequest,
} from '@microshop/runtime';
import type {
  ExecuteThroughGateway,
  GatewayFeature,
  GatewayRuntime,
  GraphQLHttpExchange,
} from './feature.ts';
import { createHttpDrain } from './http-drain.ts';
import { InFlightByCaller } from './in-flight.ts';
import { SubgraphDataSource, type InFlightSubgraphCalls } from './subgraph-data-source.ts';

const MAX_BODY_BYTES = 1024 * 1024;

export interface GatewaySetup {
  config: Config;
  logger: Logger;
  supergraphSdl: string;
}

function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  error: { message: string; code: string },
  requestId: string,
): void {
  sendJson(res, status, {
    errors: [{ message: error.message, extensions: { code: error.code, requestId } }],
  });
}

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;

/** A node kind this walk does not know stands for a subgraph no feature can have allowed. */
const UNKNOWN_SUBGRAPH = '?';

function addSubgraphsOf(node: PlanNode | undefined, into: Set<string>): void {
  if (!node) return;
  switch (node.kind) {
    case 'Fetch':
      into.add(node.serviceName);
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) addSubgraphsOf(child, into);
      return;
    case 'Flatten':
      addSubgraphsOf(node.node, into);
      return;
    case 'Defer':
      addSubgraphsOf(node.primary.node, into);
      for (const deferred of node.deferred) addSubgraphsOf(deferred.node, into);
      return;
    case 'Condition':
      addSubgraphsOf(node.ifClause, into);
      addSubgraphsOf(node.elseClause, into);
      return;
    default:
      into.add(UNKNOWN_SUBGRAPH);
  }
}

/** The subgraphs a plan fetches from; @apollo/gateway keeps one plan object per document. */
const subgraphsOfPlan = new WeakMap<QueryPlan, ReadonlySet<string>>();
function subgraphsOf(plan: QueryPlan): ReadonlySet<string> {
  let subgraphs = subgraphsOfPlan.get(plan);
  if (!subgraphs) {
    const found = new Set<string>();
    addSubgraphsOf(plan.node, found);
    subgraphs = found;
    subgraphsOfPlan.set(plan, subgraphs);
  }
  return subgraphs;
}

/** Every feature's screen, in list order; the first refusal wins. */
function screenOf(features: readonly GatewayFeature[]) {
  const screens = features.flatMap((feature) => (feature.screen ? [feature.screen] : []));
  return (request: HTTPGraphQLRequest): ScreenedRequest => {
    let screened: ScreenedRequest = { accept: request };
    for (const screen of screens) {
      screened = screen(screened.accept);
      if ('refuse' in screened) break;
    }
    return screened;
  };
}

/**
 * The gateway's HTTP handler: the features' GET routes, and /graphql through every feature's
 * `onGraphQLRequest` (in list order) to `serveGraphQL`; anything else is 404. Separate from
 * Apollo Server so a feature's HTTP hooks can be tested on their own.
 */
export function httpHandler(
  features: readonly GatewayFeature[],
  serveGraphQL: (exchange: GraphQLHttpExchange) => Promise<void>,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const routes = new Map<string, RouteHandler>();
  for (const feature of features) {
    for (const [path, route] of Object.entries(feature.routes ?? {})) {
      if (routes.has(path)) throw new Error(`${feature.name} claims ${path}, already served`);
      routes.set(path, route);
    }
  }
  const middlewares = features.flatMap((feature) =>
    feature.onGraphQLRequest ? [feature.onGraphQLRequest] : [],
  );
  const throughFeatures = (exchange: GraphQLHttpExchange, index: number): Promise<void> => {
    const middleware = middlewares[index];
    return middleware
      ? middleware(exchange, () => throughFeatures(exchange, index + 1))
      : serveGraphQL(exchange);
  };

  return async (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/graphql') {
        await throughFeatures({ req, res, requestId, context: {} }, 0);
        return;
      }
      const route = req.method === 'GET' ? routes.get(path) : undefined;
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
}

/** `gateway` running every operation through `wrap(executor)`. */
function withExecutor(
  gateway: GatewayInterface,
  wrap: (execute: GatewayExecutor) => GatewayExecutor,
): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      return { ...loaded, executor: loaded.executor && wrap(loaded.executor) };
    },
  };
}

/**
 * The gateway as its features compose it: one node:http server with `/graphql` (Apollo Server over
 * @apollo/gateway, one SubgraphDataSource per subgraph) and the features' routes. Closed newest
 * first: stop accepting connections, the features' `onDrain`, in-flight requests (up to the drain
 * timeout), the subgraph connections, Apollo Server, the features' `onClose`.
 */
export async function composeGateway(
  { config, logger, supergraphSdl }: GatewaySetup,
  features: readonly GatewayFeature[],
): Promise<RunningServer> {
  const { value: port, close } = await openInOrder(async (onClose) => {
    for (const feature of features) if (feature.onClose) onClose(feature.onClose);
    const has = <K extends keyof GatewayFeature>(hook: K) =>
      features.flatMap((feature) => (feature[hook] ? [feature[hook]!] : []));
    const onSubgraphCall = has('onSubgraphCall');
    const onCircuitStateChange = has('onCircuitStateChange');
    const onPlanned = has('onPlanned');

    const dataSources: SubgraphDataSource[] = [];
    const subgraphCallsInFlight: InFlightSubgraphCalls = new InFlightByCaller();
    // @apollo/gateway reads this variable itself, in its constructor, to decide whether to report
    // usage metrics to Apollo's servers: a deployment shares nothing unless configured to.
    if (!config.gateway.apolloUsageMetrics) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
    const gateway = new ApolloGateway({
      supergraphSdl,
      logger: logger.child({ component: 'apollo-gateway' }),
      ...(onPlanned.length > 0 && {
        experimental_didResolveQueryPlan: ({ queryPlan, requestContext }) => {
          const subgraphs = subgraphsOf(queryPlan);
          for (const observe of onPlanned) observe(subgraphs, requestContext);
        },
      }),
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
          onCall: (call) => onSubgraphCall.forEach((observe) => observe(call)),
          onCircuitStateChange: (subgraph, state) =>
            onCircuitStateChange.forEach((observe) => observe(subgraph, state)),
        });
        for (const observe of onCircuitStateChange) observe(name, 'closed');
        dataSources.push(dataSource);
        return dataSource;
      },
    });
    let apiSchema: GraphQLSchema | undefined;
    gateway.onSchemaLoadOrUpdate((schema) => {
      apiSchema = schema.apiSchema;
    });

    const apolloOptions = features.map((feature) => feature.apollo ?? {});
    const parseOptions = Object.assign({}, ...apolloOptions.map((options) => options.parseOptions));
    const validationRules = apolloOptions.flatMap((options) => options.validationRules ?? []);
    const apollo = new ApolloServer<RequestContext>({
      gateway: has('wrapExecutor').reduce(withExecutor, gateway as GatewayInterface),
      allowBatchedHttpRequests: apolloOptions.some((options) => options.allowBatchedHttpRequests),
      parseOptions,
      validationRules,
      introspection: apolloOptions.some((options) => options.introspection),
      persistedQueries:
        apolloOptions.find((options) => options.persistedQueries)?.persistedQueries ?? false,
      includeStacktraceInErrorResponses: false,
      // Shutdown is the process's (runProcess), which drains before Apollo Server stops.
      stopOnTerminationSignals: false,
      csrfPrevention: true,
      formatError: (formatted, error) =>
        maskError(formatted, error, { showInternalMessages: !config.isProduction }),
      // The request id goes into every error, whichever feature raised it.
      plugins: [...has('plugins').flat(), requestIdPlugin()],
    });

    const screen = screenOf(features);
    const serveGraphQL = ({ req, res, requestId, context }: GraphQLHttpExchange) =>
      handleGraphQLRequest(apollo, req, res, {
        maxBodyBytes: MAX_BODY_BYTES,
        errorExtensions: { requestId },
        screen,
        context: async () => ({
          requestId,
          log: logger.child({ requestId }),
          principal: null,
          authorization: undefined,
          // The gateway is the edge: a client's own x-forwarded-for is not trusted here.
          clientAddress: req.socket.remoteAddress,
          ...context,
        }),
      });
    const execute: ExecuteThroughGateway = async (request, context) => {
      const response = await apollo.executeOperation(request, { contextValue: context });
      if (response.body.kind !== 'single')
        throw new Error('Incremental delivery is not used by the gateway itself');
      return response.body.singleResult;
    };

    const server = createServer();
    server.keepAliveTimeout = 65_000;
    const drain = createHttpDrain(
      server,
      httpHandler(features, serveGraphQL, logger),
      config.resilience.drainTimeoutMs,
    );
    const upgradeChecks = has('allowsUpgrade');
    const runtime: GatewayRuntime = {
      httpServer: server,
      get draining() {
        return drain.draining;
      },
      execute,
      apiSchema: () => {
        if (!apiSchema) throw new Error('The gateway has not loaded its schema');
        return apiSchema;
      },
      screen,
      parseOptions,
      validationRules,
      allowsUpgrade: (req) => upgradeChecks.every((allows) => allows(req)),
    };

    await apollo.start();
    onClose(() => apollo.stop());
    onClose(async () => {
      await Promise.all(dataSources.map((dataSource) => dataSource.close()));
    });
    onClose(() => drain.finish());
    for (const feature of features) {
      await feature.start?.(runtime);
      if (feature.onDrain) onClose(feature.onDrain);
    }
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
