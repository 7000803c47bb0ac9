/** A GraphQL response as a client sees it. */
export interface GraphQLResult<TData = Record<string, unknown>> {
  status: number;
  data: TData | null | undefined;
  errors:
    | { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[]
    | undefined;
}

/** Posts one operation over HTTP, as the gateway does. */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown>; requestId?: string } = {},
): Promise<GraphQLResult<TData>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.requestId) headers['x-request-id'] = options.requestId;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResult<TData>, 'status'>;
  return { status: response.status, data: body.data, errors: body.errors };
}

/** The extensions.code of each error, in order. */
export function errorCodes(result: GraphQLResult<unknown>): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}
