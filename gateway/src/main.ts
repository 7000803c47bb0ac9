import cluster from 'node:cluster';
import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess, startTracing } from '@microshop/runtime';
import { runClusterPrimary } from './cluster.ts';
import { startGateway } from './start.ts';

const config = loadConfigOrExit();
const baseLogger = createLogger('gateway', config);
const logger = cluster.isWorker
  ? baseLogger.child({ worker: cluster.worker?.id, pid: process.pid })
  : baseLogger;

if (config.gateway.workers > 1 && cluster.isPrimary) {
  runClusterPrimary(config.gateway.workers, logger);
} else {
  await runProcess(
    logger,
    async (onClose) => {
      // Opened first, so closed last: its spans are flushed once the gateway has drained.
      const tracing = await startTracing(config, 'gateway', logger);
      onClose(() => tracing.close());
      const gateway = await startGateway(config, logger);
      onClose(() => gateway.close());
    },
    cluster.isWorker ? { stopSignals: ['SIGTERM'] } : {},
  );
}
