import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess } from '@microshop/runtime';
import { start } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('users', config);

await runProcess(logger, async (onClose) => {
  const server = await start(config, logger);
  onClose(() => server.close());
});
