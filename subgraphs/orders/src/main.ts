import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runService } from '@microshop/runtime';
import { start } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('orders', config);

await runService(config, 'orders', logger, () => start(config, logger));
