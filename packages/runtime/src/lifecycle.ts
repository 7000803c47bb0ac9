import type { Logger } from './logger.ts';

/** Anything holding connections or timers: started once, closed once. */
export interface Lifecycle {
  init(): Promise<void>;
  close(): Promise<void>;
}

type Closer = () => Promise<void>;

/**
 * Runs a process entry point: `start` returns what must be closed, in the order it was opened;
 * SIGINT/SIGTERM close it in reverse and exit. A second signal exits at once.
 */
export async function runProcess(
  logger: Logger,
  start: (onClose: (closer: Closer) => void) => Promise<void>,
): Promise<void> {
  const closers: Closer[] = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        logger.error({ err: error }, 'error while shutting down');
      }
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  try {
    await start((closer) => closers.push(closer));
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    process.exit(1);
  }
}
