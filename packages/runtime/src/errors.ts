import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/** Stable error codes carried in `extensions.code`. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A cart or order whose products are priced in more than one currency has no total. */
  MIXED_CURRENCIES: 'MIXED_CURRENCIES',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The request cannot be served as sent (e.g. a subscription sent to a subgraph). */
  BAD_REQUEST: 'BAD_REQUEST',
} as const;

/**
 * An expected business failure, returned in a mutation payload's `userErrors`. `Code` is the
 * subgraph's generated `UserErrorCode`; the API serves it twice: as the contract's `code` string
 * and as the typed `errorCode` enum.
 */
export interface UserError<Code extends string = string> {
  field?: string[];
  message: string;
  code: Code;
  errorCode: Code;
}

export function userError<Code extends string>(
  code: Code,
  message: string,
  field?: string[],
): UserError<Code> {
  return field ? { code, errorCode: code, message, field } : { code, errorCode: code, message };
}

export function badUserInput(message: string, field?: string[]): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
  });
}

/**
 * A text argument trimmed, or BAD_USER_INPUT naming its field (the last part of `field` in the
 * message) when nothing or more than `maxLength` characters remain.
 */
export function boundedText(value: string, maxLength: number, field: string[]): string {
  const text = value.trim();
  if (text.length === 0 || text.length > maxLength) {
    throw badUserInput(`${field.at(-1)} must have 1 to ${maxLength} characters`, field);
  }
  return text;
}

/**
 * A dependency of this field is down. Deliberately no HTTP status: a subgraph answering non-2xx
 * makes the gateway drop the error's code and the response's other data.
 */
export function serviceUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } });
}

/**
 * The resolver of a Subscription field a subgraph declares only so that it is part of the
 * supergraph: the gateway serves it over graphql-ws, so a subscription sent to the subgraph
 * itself is refused.
 */
export function servedByGateway(field: string, subgraph: string): { subscribe: () => never } {
  return {
    subscribe: () => {
      throw new GraphQLError(
        `${field} is served by the gateway over graphql-ws, not by the ${subgraph} subgraph`,
        { extensions: { code: ErrorCode.BAD_REQUEST } },
      );
    },
  };
}

const PUBLIC_CODES = new Set<string>([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.MIXED_CURRENCIES,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  ErrorCode.BAD_REQUEST,
  'OPERATION_LIMIT_EXCEEDED',
]);

/** A codeless error Apollo Server raised with an HTTP 4xx status: the request itself is refused. */
export function isRefusedRequest(error: unknown): error is GraphQLError {
  // Duck-typed: Apollo Server and this code may hold different copies of graphql's classes.
  const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } })
    ?.extensions;
  if (!extensions || extensions.code !== undefined) return false;
  const status = extensions.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Errors a client may see as they are: anything deliberate (a known code). Everything else
 * is an internal failure whose message could leak SQL, hostnames or stack traces, so it is
 * replaced; the original is logged by the caller with the request id.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { showInternalMessages: boolean },
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (isRefusedRequest(error)) {
    // Apollo Server's own refusal of the request (e.g. an APQ hash that does not match the text):
    // a fixed message about what the client sent, never about the server.
    return { message: error.message, extensions: { code: ErrorCode.BAD_REQUEST } };
  }
  const original = unwrapResolverError(error);
  return {
    message:
      options.showInternalMessages && original instanceof Error
        ? original.message
        : 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
