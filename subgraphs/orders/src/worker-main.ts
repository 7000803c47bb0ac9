import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess } from '@microshop/runtime';
import { startWorker } from './worker.ts';

const config = loadConfigOrExit();
const logger = createLogger('orders-worker', config);

await runProcess(logger, async (onClose) => {
  const worker = await startWorker(config, logger);
  onClose(() => worker.close());
});
