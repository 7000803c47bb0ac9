import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as GraphQLModule from 'graphql';
import type {
  DocumentNode,
  ExecutionResult,
  FieldNode,
  FormattedExecutionResult,
  GraphQLError as GraphQLErrorType,
  GraphQLFormattedError,
  GraphQLSchema,
  OperationDefinitionNode,
  ParseOptions,
  ValidationRule,
} from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { bearerToken, type Principal, type TokenVerifier } from '@microshop/auth';
import type { Logger, RequestContext } from '@microshop/runtime';
import type { OrderStatusHub } from './order-status-hub.ts';
import { PERSISTED_QUERY_NOT_IN_LIST, type TrustedDocuments } from './persisted-documents.ts';

/**
 * graphql's CommonJS build, the one @apollo/gateway builds the schema with and graphql-ws checks
 * errors against. Node resolves `import 'graphql'` to it anyway (the package has no `exports`), but
 * bundler-style resolvers such as Vitest's pick its ESM build, a second copy whose `validate`
 * refuses the gateway's schema ("from another module or realm").
 */
const {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  specifiedRules,
  validate,
} = createRequire(import.meta.url)('graphql') as typeof GraphQLModule;
type GraphQLError = GraphQLErrorType;

/**
 * GraphQL subscriptions over graphql-ws on the gateway's own /graphql.
 *
 * @apollo/gateway cannot execute subscriptions, so the gateway serves the one the supergraph
 * declares, `orderStatusChanged(orderId)`, itself: on every status event of the order it runs the
 * subscriber's selection set as `order(id: $orderId) { ... }` through the gateway's own executor,
 * with the subscriber's token. Federated fields therefore resolve exactly as in a query, and the
 * owner-or-admin rule is the order query's own (FORBIDDEN propagates).
 */

/** Runs one operation through the gateway's Apollo Server (planning, subgraphs, error masking). */
export type ExecuteThroughGateway = (
  request: { query: string; variables: Record<string, unknown>; operationName?: string },
  context: RequestContext,
) => Promise<FormattedExecutionResult>;

export interface SubscriptionServerOptions {
  httpServer: HttpServer;
  path: string;
  apiSchema: () => GraphQLSchema;
  execute: ExecuteThroughGateway;
  /** The gateway's operation limits, applied to subscription documents as to HTTP ones. */
  parseOptions: ParseOptions;
  validationRules: readonly ValidationRule[];
  /** Trusted-documents mode: only these documents may be subscribed, as over HTTP. */
  trustedDocuments: TrustedDocuments | undefined;
  verifier: TokenVerifier;
  hub: OrderStatusHub;
  /** Refuses an upgrade (HTTP 403) from a browser page of a disallowed origin (see Cors). */
  allowsUpgrade: (req: IncomingMessage) => boolean;
  logger: Logger;
  isProduction: boolean;
  maxSubscriptionsPerConnection: number;
  onActiveSubscriptionsChange: (delta: 1 | -1) => void;
}

interface ConnectionState {
  principal: Principal | null;
  authorization: string | undefined;
  clientAddress: string | undefined;
  active: Set<string>;
}

type ConnectionExtra = Extra & { connection?: ConnectionState };

/** What `onSubscribe` prepares and the subscribe step streams. */
interface PreparedSubscription {
  orderId: string;
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  context: RequestContext;
  release: () => void;
}

const SUBSCRIPTION_FIELD = 'orderStatusChanged';
/** Events that arrive faster than a subscriber's query runs collapse into this many reads. */
const MAX_PENDING_PUSHES = 8;
/** On close, a client that has not answered the `1001 Going away` close frame by then is cut. */
const CLOSE_HANDSHAKE_MS = 1_000;

/** A subscription's stream as the server's close() sees it. */
interface OpenStream {
  /** Ends the stream; resolves once graphql-ws has read its end (and so sends `complete`). */
  end(): Promise<void>;
}

function clientError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function toGraphQLErrors(errors: readonly GraphQLFormattedError[]): GraphQLError[] {
  return errors.map(
    (error) =>
      new GraphQLError(error.message, {
        ...(error.path ? { path: error.path } : {}),
        ...(error.extensions ? { extensions: error.extensions } : {}),
      }),
  );
}

/**
 * The subscription operation rewritten as the equivalent query: the root field becomes
 * `order(id:)` under the client's response key, so the result has the shape the client asked for.
 */
export function asOrderQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
): string {
  const orderField: FieldNode = {
    ...field,
    alias: { kind: Kind.NAME, value: field.alias?.value ?? field.name.value },
    name: { kind: Kind.NAME, value: 'order' },
    arguments: (field.arguments ?? []).map((argument) => ({
      ...argument,
      name: { kind: Kind.NAME, value: 'id' },
    })),
  };
  const queryOperation: OperationDefinitionNode = {
    ...operation,
    operation: OperationTypeNode.QUERY,
    selectionSet: { ...operation.selectionSet, selections: [orderField] },
  };
  return print({
    ...document,
    definitions: [
      queryOperation,
      ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
    ],
  });
}

const ACCESS_QUERY = 'query OrderStatusChangedAccess($id: ID!) { order(id: $id) { id } }';

/**
 * Pushes one result per status change until the client completes, the socket closes or the server
 * ends it (on close, through `open`).
 */
function orderStatusStream(
  hub: OrderStatusHub,
  prepared: PreparedSubscription,
  execute: ExecuteThroughGateway,
  open: Set<OpenStream>,
): AsyncIterableIterator<ExecutionResult> {
  let pending = 0;
  let finished = false;
  let wake: (() => void) | undefined;
  let endSeen: () => void = () => undefined;
  const stop = () => {
    if (finished) return;
    finished = true;
    unwatch();
    prepared.release();
    open.delete(stream);
    wake?.();
  };
  const stream: OpenStream = {
    end() {
      const seen = new Promise<void>((resolve) => (endSeen = resolve));
      stop();
      return seen;
    },
  };
  open.add(stream);
  const unwatch = hub.watch(prepared.orderId, () => {
    pending = Math.min(pending + 1, MAX_PENDING_PUSHES);
    wake?.();
  });
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    stop();
    endSeen();
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      while (!finished && pending === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      if (finished) return finish();
      pending -= 1;
      const result = await execute(
        {
          query: prepared.query,
          variables: prepared.variables,
          ...(prepared.operationName ? { operationName: prepared.operationName } : {}),
        },
        prepared.context,
      ).catch(async (error: unknown) => {
        await finish();
        throw error;
      });
      // Already formatted (and masked) by the gateway's Apollo Server; graphql-ws only serialises it.
      return { done: false, value: result as ExecutionResult };
    },
    return: finish,
  };
}

export function startSubscriptionServer(options: SubscriptionServerOptions): {
  close(): Promise<void>;
} {
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    verifyClient: ({ req }, accept) => {
      if (options.allowsUpgrade(req)) accept(true);
      else accept(false, 403, 'Origin not allowed');
    },
  });
  const openStreams = new Set<OpenStream>();

  async function prepare(
    connection: ConnectionState,
    id: string,
    payload: {
      query: string;
      variables?: Record<string, unknown> | null;
      operationName?: string | null;
      extensions?: Record<string, unknown> | null;
    },
  ): Promise<
    | { schema: GraphQLSchema; document: DocumentNode; prepared: PreparedSubscription }
    | GraphQLError[]
  > {
    const schema = options.apiSchema();
    const query = options.trustedDocuments
      ? options.trustedDocuments.resolve(payload)
      : payload.query;
    if (query === undefined) {
      return [
        clientError(
          'Only the persisted documents of this API may be executed',
          PERSISTED_QUERY_NOT_IN_LIST,
        ),
      ];
    }
    let document: DocumentNode;
    try {
      document = parse(query, options.parseOptions);
    } catch (error) {
      return [
        error instanceof GraphQLError ? error : clientError('Syntax error', 'GRAPHQL_PARSE_FAILED'),
      ];
    }
    const validationErrors = validate(schema, document, [
      ...specifiedRules,
      ...options.validationRules,
    ]);
    if (validationErrors.length > 0) return [...validationErrors];
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [clientError('Could not identify the operation to run', 'BAD_REQUEST')];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [clientError('Send queries and mutations over HTTP POST to /graphql', 'BAD_REQUEST')];
    }
    const [field] = operation.selectionSet.selections;
    if (operation.selectionSet.selections.length !== 1 || field?.kind !== Kind.FIELD) {
      return [
        clientError(
          `Select ${SUBSCRIPTION_FIELD} directly at the subscription root`,
          'BAD_REQUEST',
        ),
      ];
    }
    const fieldDefinition = schema.getSubscriptionType()?.getFields()[field.name.value];
    if (field.name.value !== SUBSCRIPTION_FIELD || !fieldDefinition) {
      return [clientError(`Subscription ${field.name.value} is not supported`, 'BAD_REQUEST')];
    }
    if (connection.active.size >= options.maxSubscriptionsPerConnection) {
      return [
        clientError(
          `At most ${options.maxSubscriptionsPerConnection} subscriptions per connection`,
          'TOO_MANY_SUBSCRIPTIONS',
        ),
      ];
    }
    const variables = getVariableValues(
      schema,
      operation.variableDefinitions ?? [],
      payload.variables ?? {},
    );
    if (variables.errors) return [...variables.errors];
    const { orderId } = getArgumentValues(fieldDefinition, field, variables.coerced) as {
      orderId: string;
    };

    const requestId = randomUUID();
    const context: RequestContext = {
      requestId,
      log: options.logger.child({ requestId, subscription: id, orderId }),
      principal: connection.principal,
      authorization: connection.authorization,
      clientAddress: connection.clientAddress,
    };
    // Refuse at once what the order query would refuse on every push (not signed in, not the owner).
    const access = await options.execute(
      { query: ACCESS_QUERY, variables: { id: orderId } },
      context,
    );
    if (access.errors?.length) return toGraphQLErrors(access.errors);
    if (!(access.data as { order?: unknown } | undefined)?.order) {
      return [clientError('Order not found', 'NOT_FOUND')];
    }

    connection.active.add(id);
    options.onActiveSubscriptionsChange(1);
    let released = false;
    return {
      schema,
      document,
      prepared: {
        orderId,
        query: asOrderQuery(document, operation, field),
        variables: payload.variables ?? {},
        operationName: payload.operationName ?? undefined,
        context,
        release: () => {
          if (released) return;
          released = true;
          connection.active.delete(id);
          options.onActiveSubscriptionsChange(-1);
        },
      },
    };
  }

  const disposable = useServer<
    Record<string, unknown> | undefined,
    { connection: ConnectionState }
  >(
    {
      isProd: options.isProduction,
      async onConnect(ctx) {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        if (raw !== undefined && typeof raw !== 'string') return false;
        let principal: Principal | null = null;
        try {
          const token = bearerToken(raw);
          principal = token ? await options.verifier.verify(token) : null;
        } catch {
          // graphql-ws closes the socket with 4403 Forbidden.
          return false;
        }
        (ctx.extra as ConnectionExtra).connection = {
          principal,
          authorization: raw,
          clientAddress: ctx.extra.request.socket.remoteAddress,
          active: new Set(),
        };
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const connection = (ctx.extra as ConnectionExtra).connection;
        if (!connection) return [clientError('Connection not initialised', 'UNAUTHENTICATED')];
        const result = await prepare(connection, id, payload).catch((error: unknown) => {
          // graphql-ws closes the socket with 4500; the reason is kept here, with the operation id.
          options.logger.error({ err: error, subscription: id }, 'subscription failed to start');
          throw error;
        });
        if (Array.isArray(result)) return result;
        return {
          schema: result.schema,
          document: result.document,
          operationName: payload.operationName ?? null,
          contextValue: result.prepared,
        };
      },
      subscribe: (args) =>
        orderStatusStream(
          options.hub,
          args.contextValue as PreparedSubscription,
          options.execute,
          openStreams,
        ),
    },
    wsServer,
  );

  return {
    /**
     * Ends every subscription with `complete`, then closes every socket with `1001 Going away`, so
     * clients know to resubscribe elsewhere rather than that their operation failed.
     */
    async close() {
      await Promise.all([...openStreams].map((stream) => stream.end()));
      // graphql-ws writes each `complete` in the microtasks after it read the end of the stream.
      await new Promise((resolve) => setImmediate(resolve));
      const cut = setTimeout(() => {
        for (const socket of wsServer.clients) socket.terminate();
      }, CLOSE_HANDSHAKE_MS);
      // Closes the sockets and the WebSocket server, once every client has answered or been cut.
      await disposable.dispose();
      clearTimeout(cut);
    },
  };
}
