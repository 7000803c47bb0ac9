import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess, startTracing } from '@microshop/runtime';
import { startWorker } from './worker.ts';

const config = loadConfigOrExit();
const logger = createLogger('orders-worker', config);

await runProcess(logger, async (onClose) => {
  // Opened first, so closed last: its spans are flushed once everything else has stopped.
  const tracing = await startTracing(config, 'orders-worker', logger);
  onClose(() => tracing.close());
  const worker = await startWorker(config, logger);
  onClose(() => worker.close());
});
