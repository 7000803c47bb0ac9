import { loadConfigOrExit } from '@microshop/config';
import { createLogger, runProcess, startTracing } from '@microshop/runtime';
import { start } from './start.ts';

const config = loadConfigOrExit();
const logger = createLogger('users', config);

await runProcess(logger, async (onClose) => {
  // Opened first, so closed last: its spans are flushed once everything else has stopped.
  const tracing = await startTracing(config, 'users', logger);
  onClose(() => tracing.close());
  const server = await start(config, logger);
  onClose(() => server.close());
});
