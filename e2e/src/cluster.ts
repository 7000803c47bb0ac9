import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKey } from '@microshop/auth';
import { SUBGRAPH_NAMES, type SubgraphName } from '@microshop/config';
import {
  createTestDatabase,
  freePort,
  spawnNodeProcess,
  spawnServerProcess,
  startRoundRobinProxy,
  testNamespace,
  type NodeProcess,
  type RoundRobinProxy,
  type TestDatabase,
} from '@microshop/testing';

/**
 * The supergraph scaled out on one machine, every process as a deployment runs it (its package's
 * `./main` or `./worker-main`): `instances` of each subgraph, of the orders worker and of the
 * gateway, on a fresh database schema and namespace, against the real backends of the
 * environment. Each service's instances sit behind a round-robin proxy (the stand-in for a load
 * balancer), and that proxy's URL is the one every caller is given: the gateways' subgraph URLs,
 * the subgraphs' calls to each other, the JWKS URL, and the clients' gateway URL.
 */

export type ClusterService = SubgraphName | 'orders-worker' | 'gateway';

const ENTRIES: Record<ClusterService, string> = {
  users: '@microshop/users/main',
  catalog: '@microshop/catalog/main',
  cart: '@microshop/cart/main',
  orders: '@microshop/orders/main',
  payments: '@microshop/payments/main',
  'orders-worker': '@microshop/orders/worker-main',
  gateway: '@microshop/gateway/main',
};

export interface ClusterOptions {
  /** Instances of every service (default 2). */
  instances?: number;
  /** Partitions of the namespace's new topics (default 6). */
  topicPartitions?: number;
  /** Environment variables laid over every process's (default NODE_ENV=test, LOG_LEVEL=warn). */
  overrides?: NodeJS.ProcessEnv;
}

export interface Cluster {
  /** The front proxy's /graphql: every gateway in turn. */
  gatewayUrl: string;
  /** Each gateway's own /graphql, to aim at one instance. */
  gatewayUrls: string[];
  namespace: string;
  db: TestDatabase;
  /** SIGKILLs one instance (0-based) and waits for it to be gone. */
  kill(service: ClusterService, instance: number): Promise<void>;
  /** Starts a killed instance again, with its port and environment, once it listens (if it serves HTTP). */
  restart(service: ClusterService, instance: number): Promise<void>;
  /** The log file of one instance. */
  logFile(service: ClusterService, instance: number): string;
  close(): Promise<void>;
}

const PORT_VARIABLE: Record<Exclude<ClusterService, 'orders-worker'>, string> = {
  users: 'USERS_PORT',
  catalog: 'CATALOG_PORT',
  cart: 'CART_PORT',
  orders: 'ORDERS_PORT',
  payments: 'PAYMENTS_PORT',
  gateway: 'GATEWAY_PORT',
};
const URL_VARIABLE: Record<SubgraphName, string> = {
  users: 'USERS_URL',
  catalog: 'CATALOG_URL',
  cart: 'CART_URL',
  orders: 'ORDERS_URL',
  payments: 'PAYMENTS_URL',
};
const SERVICES = Object.keys(ENTRIES) as ClusterService[];

interface Instance {
  service: ClusterService;
  index: number;
  port: number | undefined;
  process: NodeProcess | undefined;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const instances = options.instances ?? 2;
  const db = await createTestDatabase();
  const namespace = testNamespace('cluster');
  const proxies: RoundRobinProxy[] = [];
  const all: Instance[] = [];
  const close = async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(all.map((instance) => instance.process?.stop()));
    await db.drop();
  };
  try {
    for (const service of SERVICES) {
      for (let index = 0; index < instances; index += 1) {
        all.push({
          service,
          index,
          port: service === 'orders-worker' ? undefined : await freePort(),
          process: undefined,
        });
      }
    }
    const instancesOf = (service: ClusterService) =>
      all.filter((instance) => instance.service === service);
    const proxyOf = async (service: ClusterService) => {
      const proxy = await startRoundRobinProxy(
        instancesOf(service).map(({ port }) => `http://127.0.0.1:${port}`),
      );
      proxies.push(proxy);
      return proxy;
    };
    const subgraphProxies = Object.fromEntries(
      await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await proxyOf(name)] as const)),
    ) as Record<SubgraphName, RoundRobinProxy>;
    const front = await proxyOf('gateway');

    const { privateJwk } = await generateSigningKey();
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      NAMESPACE: namespace,
      HOST: '127.0.0.1',
      KAFKA_TOPIC_PARTITIONS: String(options.topicPartitions ?? 6),
      // Twelve processes with a pool each, on a PostgreSQL shared with other tests: at the default
      // 10 they could take its 100 connections between them under load.
      DATABASE_POOL_SIZE: '4',
      JWT_PRIVATE_KEY: JSON.stringify(privateJwk),
      JWKS_URL: `${subgraphProxies.users.origin}/.well-known/jwks.json`,
      ...Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [
          URL_VARIABLE[name],
          `${subgraphProxies[name].origin}/graphql`,
        ]),
      ),
      ...options.overrides,
    };
    const logFile = (service: ClusterService, index: number) =>
      join(tmpdir(), `microshop-${namespace}-${service}-${index}.log`);
    const launch = async (instance: Instance) => {
      const args = [
        '--import',
        'tsx',
        fileURLToPath(import.meta.resolve(ENTRIES[instance.service])),
      ];
      const file = logFile(instance.service, instance.index);
      if (instance.port === undefined) {
        instance.process = spawnNodeProcess({ args, env: base, logFile: file });
        return;
      }
      const portVariable = PORT_VARIABLE[instance.service as keyof typeof PORT_VARIABLE];
      instance.process = await spawnServerProcess({
        args,
        env: { ...base, [portVariable]: String(instance.port) },
        port: instance.port,
        logFile: file,
        timeoutMs: 240_000,
      });
    };
    // The first instance of every service at once (none calls another to start), then the
    // others: the first catalog fills the namespace's new search index alone, and two waves
    // halve the start-up burst of 14 processes on a small machine.
    await Promise.all(all.filter(({ index }) => index === 0).map(launch));
    await Promise.all(all.filter(({ index }) => index > 0).map(launch));

    const find = (service: ClusterService, index: number) => {
      const instance = all.find((each) => each.service === service && each.index === index);
      if (!instance) throw new Error(`no ${service} instance ${index}`);
      return instance;
    };
    return {
      gatewayUrl: `${front.origin}/graphql`,
      gatewayUrls: instancesOf('gateway').map(({ port }) => `http://127.0.0.1:${port}/graphql`),
      namespace,
      db,
      kill: async (service, index) => {
        const instance = find(service, index);
        const running = instance.process;
        if (!running || running.exited()) throw new Error(`${service} ${index} is not running`);
        process.kill(running.pid, 'SIGKILL');
        await running.stop();
        instance.process = undefined;
      },
      restart: async (service, index) => {
        const instance = find(service, index);
        if (instance.process) throw new Error(`${service} ${index} is running`);
        await launch(instance);
      },
      logFile,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
