import type { TypedDocumentString } from './gql/graphql.ts';
import manifest from './gql/persisted-documents.json' with { type: 'json' };

/** The manifest's text of each document, by `sha256:<hash>` (what the hash was computed over). */
const persistedDocuments: Readonly<Record<string, string>> = manifest;

/** One entry of a GraphQL response's `errors`, as the gateway sends it. */
export interface GraphQLResponseError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; requestId?: string; [key: string]: unknown };
}

export interface GraphQLResponse<TResult> {
  /** HTTP status of the response. */
  status: number;
  data?: TResult | null;
  errors?: GraphQLResponseError[];
}

/** A response that carried errors (or no data): `errors[].extensions.code` says why. */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLResponseError[],
    readonly data: unknown,
  ) {
    super(
      errors.map((error) => error.message).join('; ') ||
        `GraphQL request failed with HTTP ${status}`,
    );
    this.name = 'GraphQLRequestError';
  }

  get codes(): string[] {
    return this.errors.flatMap((error) => (error.extensions?.code ? [error.extensions.code] : []));
  }
}

export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** An access token (from logIn/signUp), sent as `Authorization: Bearer`. */
  token?: string;
  /**
   * Send only the document's sha256 hash (an automatic-persisted-query request without the text).
   * A gateway in trusted-documents mode runs it from its manifest; a gateway with automatic
   * persisted queries that has not seen it yet answers PERSISTED_QUERY_NOT_FOUND, and the client
   * sends it once more with the manifest's text, which registers it there.
   */
  persisted?: boolean;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** Variables are optional exactly when the operation declares none or only optional ones. */
type VariablesArgument<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface Client {
  /** The operation's data; throws GraphQLRequestError when the response carries errors. */
  request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<TResult>;
  /** The whole response (status, data, errors), for callers that handle partial data themselves. */
  execute<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<GraphQLResponse<TResult>>;
}

function documentHash(document: { __meta__?: Record<string, unknown> }): string {
  const hash: unknown = document.__meta__?.hash;
  if (typeof hash !== 'string' || !hash.startsWith('sha256:')) {
    throw new Error(
      'This document carries no sha256 hash; regenerate the client (npm run codegen)',
    );
  }
  return hash.slice('sha256:'.length);
}

/** A fetch-based client for the generated documents (queries and mutations; subscriptions go over graphql-ws). */
export function createClient(options: ClientOptions): Client {
  async function execute<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: VariablesArgument<TVariables>
  ): Promise<GraphQLResponse<TResult>> {
    const hash = documentHash(document);
    // The manifest's text is the document's normalized print, the exact text its hash was
    // computed over: a trusted-documents gateway accepts it as text too.
    const text = persistedDocuments[`sha256:${hash}`] ?? document.toString();
    if (!options.persisted) return post<TResult>({ query: text, variables });
    const persistedQuery = { version: 1, sha256Hash: hash };
    const byHash = await post<TResult>({ variables, extensions: { persistedQuery } });
    const unknownHash = byHash.errors?.some(
      (error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND',
    );
    return unknownHash
      ? post<TResult>({ query: text, variables, extensions: { persistedQuery } })
      : byHash;
  }

  async function post<TResult>(body: unknown): Promise<GraphQLResponse<TResult>> {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let payload: { data?: TResult | null; errors?: GraphQLResponseError[] };
    try {
      payload = JSON.parse(text) as typeof payload;
    } catch {
      throw new GraphQLRequestError(
        response.status,
        [{ message: `Not a GraphQL response: ${text.slice(0, 200)}` }],
        undefined,
      );
    }
    return { status: response.status, ...payload };
  }

  return {
    execute,
    async request(document, ...variables) {
      const { status, data, errors } = await execute(document, ...variables);
      if (errors?.length || data === undefined || data === null) {
        throw new GraphQLRequestError(status, errors ?? [], data);
      }
      return data;
    },
  };
}
