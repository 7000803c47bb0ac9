import { bearerToken, type Principal, type TokenVerifier } from '@microshop/auth';
import { sendGraphQLError } from './compose.ts';
import type { GatewayFeature } from './feature.ts';

type Authentication =
  { principal: Principal | null } | { refused: { status: number; message: string; code: string } };

/** The caller's identity from `Authorization: Bearer`, or why it is refused. */
async function authenticate(
  verifier: TokenVerifier,
  authorization: string | undefined,
): Promise<Authentication> {
  try {
    const token = bearerToken(authorization);
    return { principal: token ? await verifier.verify(token) : null };
  } catch (error) {
    const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } })
      .extensions;
    if (typeof extensions?.code === 'string') {
      const status = typeof extensions.http?.status === 'number' ? extensions.http.status : 401;
      return { refused: { status, message: (error as Error).message, code: extensions.code } };
    }
    throw error;
  }
}

/**
 * Verifies the bearer token of every GraphQL HTTP request before anything is parsed or planned:
 * a token that does not verify is answered 401 `UNAUTHENTICATED`; no token is an anonymous caller.
 * The header itself goes on to the subgraphs, which verify it again.
 */
export function authenticationFeature(verifier: TokenVerifier): GatewayFeature {
  return {
    name: 'authentication',
    async onGraphQLRequest(exchange, next) {
      const authorization = exchange.req.headers.authorization;
      const auth = await authenticate(verifier, authorization);
      if ('refused' in auth) {
        sendGraphQLError(exchange.res, auth.refused.status, auth.refused, exchange.requestId);
        return;
      }
      exchange.context.principal = auth.principal;
      exchange.context.authorization = authorization;
      await next();
    },
  };
}
