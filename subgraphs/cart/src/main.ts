import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runService } from '@microshop/runtime';
import { start } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('cart', config);

await runService(config, 'cart', logger, () => start(config, logger));
