import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess, startTracing } from '@microshop/runtime';
import { start } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('orders', config);

await runProcess(logger, async (onClose) => {
  // Opened first, so closed last: its spans are flushed once everything else has stopped.
  const tracing = await startTracing(config, 'orders', logger);
  onClose(() => tracing.close());
  const running = await start(config, logger);
  onClose(() => running.close());
});
