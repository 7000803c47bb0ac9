import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { REQUEST_ID_HEADER, type RequestContext } from '@microshop/runtime';

type SubgraphResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

interface GraphQLErrorBody {
  errors: { message?: unknown; extensions?: { code?: unknown } }[];
}

function isGraphQLErrorBody(body: unknown): body is GraphQLErrorBody {
  return (
    typeof body === 'object' && body !== null && Array.isArray((body as GraphQLErrorBody).errors)
  );
}

/**
 * One subgraph as the gateway sees it: forwards the caller's own Authorization header (each
 * subgraph verifies the token again; nothing trusts a bare user id), the request id, so a
 * subgraph's logs and errors carry the id the client got back, and the client's address as
 * `x-forwarded-for` (for the users subgraph's per-address login limits).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RequestContext> {
  override willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<RequestContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    // Health checks and schema loading carry no request context.
    const { authorization, requestId, clientAddress } = context as Partial<RequestContext>;
    if (authorization) headers.set('authorization', authorization);
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    if (clientAddress) headers.set('x-forwarded-for', clientAddress);
  }

  /**
   * A subgraph that answers with an HTTP error status: keep its own first error (message and
   * code, e.g. FORBIDDEN) rather than Apollo's default, which attaches the subgraph's URL and raw
   * body to the error a client receives.
   */
  override async errorFromResponse(response: SubgraphResponse): Promise<GraphQLError> {
    const body: unknown = await this.parseBody(response).catch(() => undefined);
    const first = isGraphQLErrorBody(body) ? body.errors[0] : undefined;
    const fallbackCode =
      response.status === 401
        ? 'UNAUTHENTICATED'
        : response.status === 403
          ? 'FORBIDDEN'
          : undefined;
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : fallbackCode;
    const message =
      typeof first?.message === 'string'
        ? first.message
        : `Subgraph answered HTTP ${response.status}`;
    return new GraphQLError(message, { extensions: code ? { code } : {} });
  }
}
