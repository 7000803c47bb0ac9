export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

/** One GraphQL POST, as a client sends it; the HTTP status and headers come back beside the body. */
export async function graphqlWithHeaders<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<TData> & { headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, headers: response.headers, ...body };
}

/** One GraphQL POST, as a client sends it; the HTTP status comes back beside the body. */
export async function graphql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<TData>> {
  const { headers: _headers, ...answer } = await graphqlWithHeaders<TData>(
    url,
    query,
    variables,
    token,
  );
  return answer;
}
