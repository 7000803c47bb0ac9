import type { Config } from '@microshop/config';
import { startTracing, type ServiceName } from '@microshop/telemetry';
import { runProcess, type RunProcessOptions } from './lifecycle.ts';
import type { Logger } from './logger.ts';

/**
 * The entry point of one service's process (every `main.ts`): its tracing, then whatever `start`
 * opens, run until SIGINT/SIGTERM. Tracing is opened first so that it is closed last: the spans
 * of the shutdown itself are flushed too.
 */
export function runService(
  config: Config,
  service: ServiceName,
  logger: Logger,
  start: () => Promise<{ close(): Promise<void> }>,
  options: RunProcessOptions = {},
): Promise<void> {
  return runProcess(
    logger,
    async (onClose) => {
      const tracing = await startTracing(config, service, logger);
      onClose(() => tracing.close());
      const running = await start();
      onClose(() => running.close());
    },
    options,
  );
}
