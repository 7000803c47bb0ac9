import { generateSigningKey } from '@microshop/auth';
import { start as startCart } from '@microshop/cart';
import { start as startCatalog } from '@microshop/catalog';
import { loadConfig, type Config, type SubgraphName } from '@microshop/config';
import { startGateway } from '@microshop/gateway';
import { start as startOrders, startWorker } from '@microshop/orders';
import { start as startPayments } from '@microshop/payments';
import { createLogger, startTracing, type Logger, type RunningServer } from '@microshop/runtime';
import { createTestDatabase, graphql, testNamespace, type TestDatabase } from '@microshop/testing';
import { DEVELOPMENT_SCRYPT, ensureAdmin, start as startUsers } from '@microshop/users';

/**
 * The whole supergraph in this process: a fresh database schema and namespace, every subgraph,
 * the orders worker and the gateway, each through the same `start(config, logger)` its own
 * process runs, on port 0, pointed at each other's real URLs. For *.e2e.test.ts files.
 */

export interface Stack {
  gatewayUrl: string;
  /** The gateway's configuration: every subgraph URL and the JWKS URL as started. */
  config: Config;
  db: TestDatabase;
  /** Stops one subgraph (server, consumers, relay) as if it went down; the gateway keeps its URL. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  /** Starts a stopped subgraph again on the port it had, so every URL to it works again. */
  restartSubgraph(name: SubgraphName): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Environment variables laid over the test environment (e.g. `{ NODE_ENV: 'production' }`). */
  overrides?: NodeJS.ProcessEnv;
  /**
   * Whether to start the orders worker in this process (default true). `false` leaves it to the
   * test, e.g. to run it as a child process it can SIGKILL (with `config.namespace` and `db.url`).
   */
  worker?: boolean;
  /** The gateway's logger (default: the stack's level, to stdout), e.g. to read its request log. */
  gatewayLogger?: Logger;
}

interface Closable {
  close(): Promise<void>;
}

/** Started in this order: a later service may call an earlier one (orders reads cart, catalog and users). */
const START_ORDER: readonly SubgraphName[] = ['users', 'catalog', 'cart', 'payments', 'orders'];

/** Each subgraph's `start(config, logger)`, the one its own process runs. */
const STARTERS: Record<SubgraphName, (config: Config, logger: Logger) => Promise<RunningServer>> = {
  users: startUsers,
  catalog: startCatalog,
  cart: startCart,
  orders: startOrders,
  payments: startPayments,
};

function withUrls(config: Config, started: Partial<Record<SubgraphName, RunningServer>>): Config {
  const subgraphUrls = { ...config.subgraphUrls };
  for (const [name, server] of Object.entries(started) as [SubgraphName, RunningServer][]) {
    subgraphUrls[name] = server.url;
  }
  const users = started.users;
  const jwksUrl = users
    ? new URL('/.well-known/jwks.json', users.url).toString()
    : config.jwt.jwksUrl;
  return { ...config, subgraphUrls, jwt: { ...config.jwt, jwksUrl } };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const running: Closable[] = [];
  const closeAll = async () => {
    for (const service of running.reverse()) await service.close();
    await db.drop();
  };
  try {
    // A signing key of this stack's own: tokens from one test file never verify in another.
    const { privateJwk } = await generateSigningKey();
    const base = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATABASE_URL: db.url,
      NAMESPACE: testNamespace('e2e'),
      HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      USERS_PORT: '0',
      CATALOG_PORT: '0',
      CART_PORT: '0',
      ORDERS_PORT: '0',
      PAYMENTS_PORT: '0',
      JWT_PRIVATE_KEY: JSON.stringify(privateJwk),
      ...options.overrides,
    });

    // Each service traced under its own name, as its own process is (a no-op unless configured);
    // closed after every service, so their last spans are flushed.
    for (const service of [...START_ORDER, 'orders-worker', 'gateway'] as const) {
      running.push(await startTracing(base, service, createLogger(service, base)));
    }

    const started: Partial<Record<SubgraphName, RunningServer>> = {};
    // What runs now for each subgraph: undefined while a test has it stopped.
    const live: Partial<Record<SubgraphName, RunningServer>> = {};
    for (const name of START_ORDER) {
      const server = await STARTERS[name](withUrls(base, started), createLogger(name, base));
      started[name] = live[name] = server;
      running.push({ close: async () => live[name]?.close() });
    }
    const config = withUrls(base, started);
    const stopSubgraph = async (name: SubgraphName) => {
      const server = live[name];
      if (!server) throw new Error(`${name} is not running`);
      live[name] = undefined;
      await server.close();
    };
    const restartSubgraph = async (name: SubgraphName) => {
      const port = started[name]?.port;
      if (live[name] || port === undefined) throw new Error(`${name} is not stopped`);
      live[name] = await STARTERS[name](
        { ...config, ports: { ...config.ports, [name]: port } },
        createLogger(name, base),
      );
    };

    if (options.worker !== false) {
      running.push(await startWorker(config, createLogger('orders-worker', config)));
    }

    const gateway = await startGateway(
      config,
      options.gatewayLogger ?? createLogger('gateway', config),
    );
    running.push(gateway);

    return {
      gatewayUrl: gateway.url,
      config,
      db,
      stopSubgraph,
      restartSubgraph,
      close: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

/** Signs in as an ADMIN (created directly in the stack's database the first time) through the gateway. */
export async function signInAdmin(
  stack: Pick<Stack, 'gatewayUrl' | 'db'>,
): Promise<{ accessToken: string }> {
  const email = 'stack-admin@microshop.test';
  const password = 'Stack-admin-password-1';
  await ensureAdmin(stack.db.prisma, {
    email,
    password,
    scrypt: DEVELOPMENT_SCRYPT,
  });
  const response = await graphql<{
    logIn: { accessToken: string | null; userErrors: { code: string }[] };
  }>(
    stack.gatewayUrl,
    'mutation LogIn($input: LogInInput!) { logIn(input: $input) { accessToken userErrors { code } } }',
    { input: { email, password } },
  );
  const accessToken = response.data?.logIn.accessToken;
  if (!accessToken)
    throw new Error(`admin logIn failed: ${JSON.stringify(response.errors ?? response.data)}`);
  return { accessToken };
}
