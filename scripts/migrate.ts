import { loadConfigOrExit } from '@microshop/config';
import { applyMigrations, withConfiguredDatabase } from '@microshop/db';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
const config = loadConfigOrExit();
const result = await withConfiguredDatabase(config.database, (url) =>
  applyMigrations(url, { log: (message) => console.log(message) }),
);
console.log(
  `migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`,
);
