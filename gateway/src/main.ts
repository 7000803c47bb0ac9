import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess } from '@microshop/runtime';
import { startGateway } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('gateway', config);

await runProcess(logger, async (onClose) => {
  const gateway = await startGateway(config, logger);
  onClose(() => gateway.close());
});
