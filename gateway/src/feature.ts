import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, HTTPGraphQLRequest, PersistedQueryOptions } from '@apollo/server';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import type {
  FormattedExecutionResult,
  GraphQLSchema,
  ParseOptions,
  ValidationRule,
} from 'graphql';
import type { RequestContext, RouteHandler, ScreenedRequest } from '@microshop/runtime';
import type { CircuitState } from './circuit-breaker.ts';
import type { SubgraphCallObserver } from './subgraph-data-source.ts';

/**
 * One concern of the gateway (CORS, authentication, operation limits, live fields, …) as the hooks
 * it needs; `composeGateway` (compose.ts) runs a list of them around Apollo Server over
 * @apollo/gateway. Features never reach into one another: what one shares with the others
 * (parse options, screens, the upgrade check) goes through the composition, in list order.
 */
export interface GatewayFeature {
  /** For error messages (two features claiming one route). */
  readonly name: string;
  /** Apollo Server plugins, after those of the features before it. */
  plugins?: readonly ApolloServerPlugin<RequestContext>[];
  /** Apollo Server options this feature sets; rules and parse options add up across features. */
  apollo?: {
    parseOptions?: ParseOptions;
    validationRules?: readonly ValidationRule[];
    /** Off unless a feature turns it on (Apollo Server's own default is an in-memory APQ cache). */
    persistedQueries?: PersistedQueryOptions;
    allowBatchedHttpRequests?: boolean;
    introspection?: boolean;
  };
  /** Wraps the executor of every operation the gateway runs (HTTP and live fields alike). */
  wrapExecutor?: (execute: GatewayExecutor) => GatewayExecutor;
  /** GET routes beside /graphql. */
  routes?: Readonly<Record<string, RouteHandler>>;
  /**
   * Sees each GraphQL HTTP request before the next feature does: answers it itself (a preflight, a
   * refused token) or calls `next`, possibly inside something (a span) or after adding to its context.
   */
  onGraphQLRequest?: (exchange: GraphQLHttpExchange, next: () => Promise<void>) => Promise<void>;
  /**
   * Sees each document once its body is read, before Apollo Server (and each subscription
   * payload, as a POST): passes it on, possibly rewritten, or refuses it.
   */
  screen?: (request: HTTPGraphQLRequest) => ScreenedRequest;
  /** Whether a WebSocket upgrade may go ahead (every feature must agree). */
  allowsUpgrade?: (req: IncomingMessage) => boolean;
  /**
   * Told, for each operation @apollo/gateway executes, which subgraphs its query plan fetches from
   * (before any of them is called).
   */
  onPlanned?: (
    subgraphs: ReadonlySet<string>,
    requestContext: GatewayGraphQLRequestContext,
  ) => void;
  onSubgraphCall?: SubgraphCallObserver;
  onCircuitStateChange?: (subgraph: string, state: CircuitState) => void;
  /** Once Apollo Server runs, before the port opens: what needs the running gateway starts here. */
  start?: (runtime: GatewayRuntime) => Promise<void>;
  /**
   * At shutdown, once no new connection is accepted and before in-flight requests are awaited:
   * ends what would keep connections open (subscriptions). Newest feature first.
   */
  onDrain?: () => Promise<void>;
  /** Last, once Apollo Server has stopped: what the feature opened. Newest feature first. */
  onClose?: () => Promise<void>;
}

/** One GraphQL HTTP request on its way through the features' `onGraphQLRequest`. */
export interface GraphQLHttpExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  /** What features add to the request's context: who calls, and the summary its log line reads. */
  readonly context: Partial<Pick<RequestContext, 'principal' | 'authorization' | 'summary'>>;
}

/** Runs one operation through the gateway's Apollo Server (planning, subgraphs, error masking). */
export type ExecuteThroughGateway = (
  request: { query: string; variables: Record<string, unknown>; operationName?: string },
  context: RequestContext,
) => Promise<FormattedExecutionResult>;

/** The running gateway, as `start` sees it. */
export interface GatewayRuntime {
  readonly httpServer: Server;
  /** Whether shutdown has begun. */
  readonly draining: boolean;
  execute: ExecuteThroughGateway;
  /** The client-facing schema; throws before the supergraph is loaded. */
  apiSchema(): GraphQLSchema;
  /** Every feature's screen, parse options and validation rules: what any document must meet. */
  screen(request: HTTPGraphQLRequest): ScreenedRequest;
  parseOptions: ParseOptions;
  validationRules: readonly ValidationRule[];
  /** Every feature's `allowsUpgrade`. */
  allowsUpgrade(req: IncomingMessage): boolean;
}
