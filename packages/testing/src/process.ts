import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';

/** A node child process: its pid, and how to stop it. */
export interface NodeProcess {
  pid: number;
  /** `signal` (SIGTERM by default), then SIGKILL after `graceMs`; resolves with how it exited. */
  stop(
    graceMs?: number,
    signal?: 'SIGTERM' | 'SIGINT',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether it has exited (on its own, killed, or stopped). */
  exited(): boolean;
}

/** A server running as a child process: where it listens, its pid, and how to stop it. */
export interface ServerProcess extends NodeProcess {
  port: number;
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
 * Runs `node <args>`, its output appended to `logFile` (a file, not a pipe: reading a chatty
 * child's logs would cost this process CPU), e.g. a process that listens on no port.
 */
export function spawnNodeProcess(options: {
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
}): NodeProcess {
  const log = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, options.args, {
    env: options.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (graceMs = 10_000, signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM') => {
    if (!hasExited()) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    }
    return exited;
  };
  return { pid: child.pid!, stop, exited: hasExited };
}

/**
 * `spawnNodeProcess` of a server listening on `port`: ready once the port accepts connections;
 * fails if the child exits first or is not ready within `timeoutMs`.
 */
export async function spawnServerProcess(options: {
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  logFile: string;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const child = spawnNodeProcess(options);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await accepts(options.port))) {
    if (child.exited() || Date.now() > deadline) {
      await child.stop();
      throw new Error(`node ${options.args.join(' ')} did not start (see ${options.logFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ...child, port: options.port };
}
