import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runService } from '@microshop/runtime';
import { startWorker } from './worker.ts';

const config = loadConfigOrExit();
const logger = createLogger('orders-worker', config);

await runService(config, 'orders-worker', logger, () => startWorker(config, logger));
