import { loadConfigOrExit } from '@microshop/config';
import { createPrismaClient, withConfiguredDatabase } from '@microshop/db';
import { createEventBus } from '@microshop/events';
import { createLogger } from '@microshop/runtime';

/**
 * `npm run replay-dead-letters`: once the cause of the dead letters is fixed, publishes each of
 * the configured bus's dead letters to its event's topic again (see EventBus.replayDeadLetters):
 * the groups that failed handle them, the others skip them.
 */
const config = loadConfigOrExit();
const logger = createLogger('replay-dead-letters', config);
await withConfiguredDatabase(config.database, async (url) => {
  const db = createPrismaClient(url);
  try {
    const bus = await createEventBus(
      { ...config, database: { kind: 'postgres', url } },
      { db, logger },
    );
    try {
      const result = await bus.replayDeadLetters();
      logger.info({ ...result, bus: bus.kind, namespace: config.namespace }, 'replay done');
    } finally {
      await bus.close();
    }
  } finally {
    await db.$disconnect();
  }
});
