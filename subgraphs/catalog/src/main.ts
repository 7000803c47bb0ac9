import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess } from '@microshop/runtime';
import { start } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('catalog', config);

await runProcess(logger, async (onClose) => {
  const running = await start(config, logger);
  onClose(() => running.close());
});
