import { loadConfigOrExit } from '@microshop/config';
import { applyMigrations, startEmbeddedPostgres } from '@microshop/db';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
const config = loadConfigOrExit();
const embedded =
  config.database.kind === 'embedded'
    ? await startEmbeddedPostgres({ port: config.database.port, dataDir: config.database.dataDir })
    : undefined;
const url = config.database.kind === 'postgres' ? config.database.url : embedded!.url;
try {
  const result = await applyMigrations(url, { log: (message) => console.log(message) });
  console.log(
    `migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`,
  );
} finally {
  await embedded?.stop();
}
