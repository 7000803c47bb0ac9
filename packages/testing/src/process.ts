import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';

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
