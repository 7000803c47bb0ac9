import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Stack } from './stack.ts';

/** A server running as a child process: where it listens, its pid, and how to stop it. */
export interface ServerProcess {
  port: number;
  pid: number;
  /** `signal` (SIGTERM by default), then SIGKILL after `graceMs`; resolves with how it exited. */
  stop(
    graceMs?: number,
    signal?: 'SIGTERM' | 'SIGINT',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port that was free a moment ago, for a child process to listen on. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs `node <args>` listening on `port`, its output appended to `logFile` (a file, not a pipe:
 * reading a chatty child's logs would cost this process CPU). Ready once the port accepts
 * connections; fails if the child exits first or is not ready within `timeoutMs`.
 */
export async function spawnServerProcess(options: {
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  logFile: string;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const log = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, options.args, {
    env: options.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async (graceMs = 10_000, signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    }
    return exited;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await accepts(options.port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`node ${options.args.join(' ')} did not start (see ${options.logFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port: options.port, pid: child.pid!, stop };
}

/** The gateway's process entry point (what `npm run start:service gateway` runs). */
export const GATEWAY_MAIN = fileURLToPath(new URL('../../../gateway/src/main.ts', import.meta.url));

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
