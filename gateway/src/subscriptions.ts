import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as GraphQLModule from 'graphql';
import type {
  DocumentNode,
  ExecutionResult,
  FieldNode,
  GraphQLError as GraphQLErrorType,
  GraphQLField,
  GraphQLFormattedError,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import { HeaderMap } from '@apollo/server';
import { WebSocketServer } from 'ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { bearerToken, type Principal, type TokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import type { Logger, RequestContext } from '@microshop/runtime';
import type { ExecuteThroughGateway, GatewayFeature, GatewayRuntime } from './feature.ts';
import { LIVE_FIELD_FEED, startLiveFieldFeed } from './live-field-feed.ts';
import type { AnyLiveField, LiveField } from './live-field.ts';
import type { GatewayMetrics } from './metrics.ts';
import { SubscriberHub } from './subscriber-hub.ts';

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
  getNamedType,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  specifiedRules,
  validate,
} = createRequire(import.meta.url)('graphql') as typeof GraphQLModule;
type GraphQLError = GraphQLErrorType;

/**
 * GraphQL subscriptions over graphql-ws on the gateway's own /graphql: the live fields.
 *
 * @apollo/gateway cannot execute subscriptions, so the gateway serves the supergraph's
 * Subscription fields itself, each described by a LiveField: on every event naming a subscriber's
 * key it runs the subscriber's selection set as the entity query (`order(id: $orderId) { ... }`)
 * through the gateway's own executor, with the subscriber's token. Federated fields therefore
 * resolve exactly as in a query, and the access rule is the entity query's own (FORBIDDEN
 * propagates). Documents meet the gateway's screens, parse options and validation rules, as over
 * HTTP (operation limits, trusted documents).
 */

/** A live field and the hub of its subscribers on this instance. */
interface ServedField {
  live: AnyLiveField;
  hub: SubscriberHub;
}

export interface SubscriptionServerOptions {
  runtime: GatewayRuntime;
  path: string;
  fields: ReadonlyMap<string, ServedField>;
  verifier: TokenVerifier;
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
  hub: SubscriberHub;
  key: string;
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  context: RequestContext;
  release: () => void;
}

/** On close, a client that has not answered the `1001 Going away` close frame by then is cut. */
const CLOSE_HANDSHAKE_MS = 1_000;

/** A subscription's stream as the server's close() sees it. */
export interface OpenStream {
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
 * The subscription operation rewritten as the equivalent query: the root field becomes the entity
 * query (`order(id:)`) under the client's response key, so the result has the shape the client
 * asked for.
 */
export function asEntityQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
  live: LiveField,
): string {
  const entityField: FieldNode = {
    ...field,
    alias: { kind: Kind.NAME, value: field.alias?.value ?? field.name.value },
    name: { kind: Kind.NAME, value: live.entityQuery.field },
    arguments: (field.arguments ?? []).map((argument) =>
      argument.name.value === live.keyArgument
        ? { ...argument, name: { kind: Kind.NAME, value: live.entityQuery.keyArgument } }
        : argument,
    ),
  };
  const queryOperation: OperationDefinitionNode = {
    ...operation,
    operation: OperationTypeNode.QUERY,
    selectionSet: { ...operation.selectionSet, selections: [entityField] },
  };
  return print({
    ...document,
    definitions: [
      queryOperation,
      ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
    ],
  });
}

/** Reads nothing but whether the subscriber may see the entity (and whether there is one). */
function accessQuery(schema: GraphQLSchema, live: LiveField): string {
  const { field, keyArgument } = live.entityQuery;
  const argument = schema
    .getQueryType()
    ?.getFields()
    [field]?.args.find((candidate) => candidate.name === keyArgument);
  if (!argument) throw new Error(`${live.field}: the schema has no Query.${field}(${keyArgument})`);
  return `query LiveFieldAccess($key: ${String(argument.type)}) { entity: ${field}(${keyArgument}: $key) { __typename } }`;
}

/**
 * Pushes the entity as the subscriber selected it: first as it is once the subscriber is watching
 * it, then once per change, until the client completes, the socket closes or the server ends it
 * (on close, through `open`).
 *
 * graphql-ws tells a client nothing when its subscription is in place, so a client cannot read the
 * entity "after subscribing": a change between its read and the watch starting would reach no one.
 * Hence the first read here, after the watch. Reads run one at a time, each started after the
 * changes it answers were committed (an event is published once its transaction is), so each
 * shows the entity at least as new as the one before; a change announced while a read runs costs
 * one more read, however many came, and a result equal to the last one pushed is not pushed
 * again (the first read may already show a change whose event arrives after it started, an event
 * may be delivered twice).
 */
export function liveStream(
  prepared: PreparedSubscription,
  execute: ExecuteThroughGateway,
  open: Set<OpenStream>,
): AsyncIterableIterator<ExecutionResult> {
  // The first read is owed before any change.
  let stale = true;
  let lastPushed: string | undefined;
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
  const unwatch = prepared.hub.watch(prepared.key, () => {
    stale = true;
    wake?.();
  });
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    stop();
    endSeen();
    return { done: true, value: undefined };
  };
  const read = () =>
    execute(
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
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      for (;;) {
        while (!finished && !stale) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        if (finished) return finish();
        stale = false;
        const result = await read();
        const serialised = JSON.stringify(result);
        if (serialised === lastPushed) continue;
        lastPushed = serialised;
        // Already formatted (and masked) by the gateway's Apollo Server; graphql-ws only serialises it.
        return { done: false, value: result as ExecutionResult };
      }
    },
    return: finish,
  };
}

/** The document a subscription payload names, once the gateway's screens let it through. */
function screenedQuery(runtime: GatewayRuntime, payload: object): string | GraphQLError {
  const screened = runtime.screen({
    method: 'POST',
    headers: new HeaderMap([['content-type', 'application/json']]),
    search: '',
    body: payload,
  });
  if ('refuse' in screened) return clientError(screened.refuse.message, screened.refuse.code);
  const query = (screened.accept.body as { query?: unknown }).query;
  return typeof query === 'string' ? query : clientError('Send a query', 'BAD_REQUEST');
}

export function startSubscriptionServer(options: SubscriptionServerOptions): {
  close(): Promise<void>;
} {
  const { runtime } = options;
  const wsServer = new WebSocketServer({
    server: runtime.httpServer,
    path: options.path,
    verifyClient: ({ req }, accept) => {
      if (runtime.allowsUpgrade(req)) accept(true);
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
    const schema = runtime.apiSchema();
    const query = screenedQuery(runtime, payload);
    if (query instanceof GraphQLError) return [query];
    let document: DocumentNode;
    try {
      document = parse(query, runtime.parseOptions);
    } catch (error) {
      return [
        error instanceof GraphQLError ? error : clientError('Syntax error', 'GRAPHQL_PARSE_FAILED'),
      ];
    }
    const validationErrors = validate(schema, document, [
      ...specifiedRules,
      ...runtime.validationRules,
    ]);
    if (validationErrors.length > 0) return [...validationErrors];
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [clientError('Could not identify the operation to run', 'BAD_REQUEST')];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [clientError('Send queries and mutations over HTTP POST to /graphql', 'BAD_REQUEST')];
    }
    const [field] = operation.selectionSet.selections;
    if (operation.selectionSet.selections.length !== 1 || field?.kind !== Kind.FIELD) {
      return [clientError('Select one field directly at the subscription root', 'BAD_REQUEST')];
    }
    const served = options.fields.get(field.name.value);
    const fieldDefinition: GraphQLField<unknown, unknown> | undefined = schema
      .getSubscriptionType()
      ?.getFields()[field.name.value];
    if (!served || !fieldDefinition) {
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
    const { live, hub } = served;
    const key = String(
      getArgumentValues(fieldDefinition, field, variables.coerced)[live.keyArgument],
    );

    const requestId = randomUUID();
    const context: RequestContext = {
      requestId,
      log: options.logger.child({ requestId, subscription: id, field: live.field, key }),
      principal: connection.principal,
      authorization: connection.authorization,
      clientAddress: connection.clientAddress,
      // Each read answers changes announced after an identical one may have gone out.
      freshRead: true,
    };
    // Refuse at once what the entity query would refuse on every push (not signed in, not the owner).
    const access = await runtime.execute(
      { query: accessQuery(schema, live), variables: { key } },
      context,
    );
    if (access.errors?.length) return toGraphQLErrors(access.errors);
    if (!(access.data as { entity?: unknown } | undefined)?.entity) {
      return [clientError(`${getNamedType(fieldDefinition.type).name} not found`, 'NOT_FOUND')];
    }

    connection.active.add(id);
    options.onActiveSubscriptionsChange(1);
    let released = false;
    return {
      schema,
      document,
      prepared: {
        hub,
        key,
        query: asEntityQuery(document, operation, field, live),
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
        liveStream(args.contextValue as PreparedSubscription, runtime.execute, openStreams),
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

const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;

/**
 * The live fields: graphql-ws on /graphql for every field of `registry`, fed by one event consumer
 * for all of them. At shutdown the feed stops first, then every subscription is ended.
 */
export function liveFieldsFeature(
  registry: readonly AnyLiveField[],
  deps: { config: Config; logger: Logger; verifier: TokenVerifier; metrics: GatewayMetrics },
): GatewayFeature {
  const fields = new Map(registry.map((live) => [live.field, { live, hub: new SubscriberHub() }]));
  const logger = deps.logger.child({ component: 'subscriptions' });
  let server: { close(): Promise<void> } | undefined;
  let feed: { close(): Promise<void> } | undefined;
  return {
    name: 'live-fields',
    async start(runtime) {
      server = startSubscriptionServer({
        runtime,
        path: '/graphql',
        fields,
        verifier: deps.verifier,
        logger,
        isProduction: deps.config.isProduction,
        maxSubscriptionsPerConnection: MAX_SUBSCRIPTIONS_PER_CONNECTION,
        onActiveSubscriptionsChange: (delta) => deps.metrics.activeSubscriptions.inc(delta),
      });
      feed = await startLiveFieldFeed(deps.config, [...fields.values()], {
        logger: deps.logger,
        onLag: (lag) => deps.metrics.observeConsumerLag(LIVE_FIELD_FEED, lag),
      });
    },
    async onDrain() {
      await feed?.close();
      await server?.close();
    },
  };
}
