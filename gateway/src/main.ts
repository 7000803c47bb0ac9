import cluster from 'node:cluster';
import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runService } from '@microshop/runtime';
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
  await runService(
    config,
    'gateway',
    logger,
    () => startGateway(config, logger),
    cluster.isWorker ? { stopSignals: ['SIGTERM'] } : {},
  );
}
