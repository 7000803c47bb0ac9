import type { Logger } from './logger.ts';

/** Anything holding connections or timers: started once, closed once. */
export interface Lifecycle {
  init(): Promise<void>;
  close(): Promise<void>;
}

/** Closes one resource. */
export type Closer = () => Promise<void>;

/** What `openInOrder` opened: the value its `open` returned, and `close()` for all of it. */
export interface Opened<T> {
  value: T;
  /**
   * Closes everything, newest first. Every closer runs even if an earlier one fails; the first
   * failure is rethrown afterwards. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** Closers registered in opening order; `close()` runs them once, in reverse. */
function closerStack(): { onClose: (closer: Closer) => void; close: () => Promise<void> } {
  const closers: Closer[] = [];
  let closing: Promise<void> | undefined;
  const closeAll = async () => {
    const failures: unknown[] = [];
    for (const closer of closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  };
  return {
    onClose: (closer) => void closers.push(closer),
    close: () => (closing ??= closeAll()),
  };
}

/**
 * Opens resources in order: `open` registers a closer with `onClose` right after opening each
 * one. If `open` fails, what it had opened is closed (newest first, failures ignored) and its
 * error is rethrown; otherwise its value is returned with `close()` for everything it opened.
 */
export async function openInOrder<T>(
  open: (onClose: (closer: Closer) => void) => Promise<T>,
): Promise<Opened<T>> {
  const stack = closerStack();
  try {
    return { value: await open(stack.onClose), close: stack.close };
  } catch (error) {
    await stack.close().catch(() => undefined);
    throw error;
  }
}

export interface RunProcessOptions {
  /**
   * The signals that stop the process (default SIGINT and SIGTERM). A cluster worker stops on
   * SIGTERM from its primary only and ignores the SIGINT a terminal sends its whole group, so
   * that Ctrl-C drains it once instead of counting as a second signal.
   */
  stopSignals?: readonly ('SIGINT' | 'SIGTERM')[];
}

/**
 * Runs a process entry point: `start` registers what must be closed, in the order it was opened;
 * SIGINT/SIGTERM close it in reverse and exit. A second signal exits at once.
 */
export async function runProcess(
  logger: Logger,
  start: (onClose: (closer: Closer) => void) => Promise<void>,
  options: RunProcessOptions = {},
): Promise<void> {
  // Not openInOrder: a signal during start must close what start has opened so far.
  const opened = closerStack();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await opened.close();
    } catch (error) {
      logger.error({ err: error }, 'error while shutting down');
    }
    process.exit(0);
  };
  const stopSignals = options.stopSignals ?? ['SIGINT', 'SIGTERM'];
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, stopSignals.includes(signal) ? () => void stop(signal) : () => undefined);
  }
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  try {
    await start(opened.onClose);
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    await opened.close().catch(() => undefined);
    process.exit(1);
  }
}
