import type { Stack } from './stack.ts';

/**
 * The environment for a gateway process of its own in front of `stack`'s subgraphs and backends:
 * the production entry point, as a deployment runs it, beside the stack's in-process gateway.
 */
export function gatewayProcessEnvironment(
  stack: Stack,
  port: number,
  overrides: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const { config } = stack;
  return {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: stack.db.url,
    NAMESPACE: config.namespace,
    HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    USERS_URL: config.subgraphUrls.users,
    CATALOG_URL: config.subgraphUrls.catalog,
    CART_URL: config.subgraphUrls.cart,
    ORDERS_URL: config.subgraphUrls.orders,
    PAYMENTS_URL: config.subgraphUrls.payments,
    JWKS_URL: config.jwt.jwksUrl,
    JWT_ISSUER: config.jwt.issuer,
    JWT_AUDIENCE: config.jwt.audience,
    ...overrides,
  };
}
