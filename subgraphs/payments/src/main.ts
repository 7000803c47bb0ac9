import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runService } from '@microshop/runtime';
import { start } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('payments', config);

await runService(config, 'payments', logger, () => start(config, logger));
