import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKey } from '@microshop/auth';
import { SUBGRAPH_NAMES, type SubgraphName } from '@microshop/config';
import {
  createTestDatabase,
  freePort,
  spawnServerProcess,
  testNamespace,
  type ServerProcess,
  type TestDatabase,
} from '@microshop/testing';

/**
 * The benchmark's supergraph, one process per service as a deployment runs it (`npm start`'s
 * entry points): the five subgraphs and the orders worker, on a fresh database schema and
 * namespace, every process with the same NODE_ENV (production) and LOG_LEVEL (info), logs to
 * files. Gateways under test are started in front of it, one at a time.
 */

/** A service's process entry: its package's `./main` (or `./worker-main`) export, as `npm start` runs it. */
const entryOf = (specifier: string) => fileURLToPath(import.meta.resolve(specifier));
const WORKER_ENTRY = entryOf('@microshop/orders/worker-main');
/** Started in this order: a later service may call an earlier one (orders reads cart and catalog). */
const START_ORDER: readonly SubgraphName[] = ['users', 'catalog', 'cart', 'payments', 'orders'];
const PORT_VARIABLES: Record<SubgraphName, string> = {
  users: 'USERS_PORT',
  catalog: 'CATALOG_PORT',
  cart: 'CART_PORT',
  orders: 'ORDERS_PORT',
  payments: 'PAYMENTS_PORT',
};
const URL_VARIABLES: Record<SubgraphName, string> = {
  users: 'USERS_URL',
  catalog: 'CATALOG_URL',
  cart: 'CART_URL',
  orders: 'ORDERS_URL',
  payments: 'PAYMENTS_URL',
};

/** What every process of a run shares: the environment of a production deployment on one host. */
export const PROCESS_SETTINGS = { NODE_ENV: 'production', LOG_LEVEL: 'info' } as const;

export interface ProcessStack {
  db: TestDatabase;
  subgraphUrls: Record<SubgraphName, string>;
  /** The environment of any process of this stack (a gateway adds its port and settings). */
  environment(overrides?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Runs `node [--cpu-prof] --import tsx <script>` listening on a free port; its log in tmpdir. */
  spawn(
    label: string,
    script: string,
    environmentFor: (port: number) => NodeJS.ProcessEnv,
  ): Promise<ServerProcess>;
  /** A MicroShop gateway process (gateway/src/main.ts) with `settings` over its defaults. */
  startGateway(label: string, settings?: NodeJS.ProcessEnv): Promise<ServerProcess>;
  close(): Promise<void>;
}

export interface ProcessStackOptions {
  /** Fills the database before any service starts (so the catalog indexes it on its first start). */
  seed(db: TestDatabase): Promise<void>;
  /** Each process writes a V8 CPU profile into this directory when it stops. */
  profileDir?: string;
}

export async function startProcessStack(options: ProcessStackOptions): Promise<ProcessStack> {
  const db = await createTestDatabase();
  const running: { label: string; stop(): Promise<unknown> }[] = [];
  const close = async () => {
    for (const service of running.reverse()) await service.stop();
    await db.drop();
  };
  try {
    await options.seed(db);
    const { privateJwk } = await generateSigningKey();
    const ports = Object.fromEntries(
      await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await freePort()] as const)),
    ) as Record<SubgraphName, number>;
    const subgraphUrls = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`]),
    ) as Record<SubgraphName, string>;
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      ...PROCESS_SETTINGS,
      DATABASE_URL: db.url,
      NAMESPACE: testNamespace('bench'),
      HOST: '127.0.0.1',
      JWT_PRIVATE_KEY: JSON.stringify(privateJwk),
      JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.users).toString(),
      ...Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [PORT_VARIABLES[name], String(ports[name])]),
      ),
      ...Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [URL_VARIABLES[name], subgraphUrls[name]]),
      ),
    };
    const environment = (overrides: NodeJS.ProcessEnv = {}) => ({ ...base, ...overrides });
    const nodeArgs = (label: string, script: string) => [
      ...(options.profileDir
        ? // A directory per process: tsx's loader thread writes a profile of its own beside the main one.
          ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, label)}`]
        : []),
      '--import',
      'tsx',
      script,
    ];
    const logFile = (label: string) => join(tmpdir(), `microshop-bench-${label}.log`);
    const spawnProcess: ProcessStack['spawn'] = async (label, script, environmentFor) => {
      const port = await freePort();
      return spawnServerProcess({
        args: nodeArgs(label, script),
        env: environmentFor(port),
        port,
        logFile: logFile(label),
      });
    };

    for (const name of START_ORDER) {
      const server = await spawnServerProcess({
        args: nodeArgs(name, entryOf(`@microshop/${name}/main`)),
        env: base,
        port: ports[name],
        logFile: logFile(name),
      });
      running.push({ label: name, stop: () => server.stop() });
    }
    running.push({
      label: 'orders-worker',
      stop: spawnWorker(nodeArgs('orders-worker', WORKER_ENTRY), base, logFile('orders-worker')),
    });

    return {
      db,
      subgraphUrls,
      environment,
      spawn: spawnProcess,
      startGateway: (label, settings = {}) =>
        spawnProcess(label, entryOf('@microshop/gateway/main'), (port) =>
          environment({ GATEWAY_PORT: String(port), ...settings }),
        ),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** The orders worker listens on no port: started, and stopped with SIGTERM (SIGKILL after 10 s). */
function spawnWorker(args: string[], env: NodeJS.ProcessEnv, logFile: string): () => Promise<void> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}
