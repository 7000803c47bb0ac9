import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `prisma generate` needs no schema engine for the JS client, but the CLI still resolves the
 * engine binary's path at start-up and tries to download it when missing. Where no engine can
 * be downloaded, any existing file satisfies that check; a real engine path set by the caller wins.
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.CHECKPOINT_DISABLE = '1';

if (
  process.argv.includes('--if-present') &&
  !existsSync(`${repoRoot}/prisma/schema/schema.prisma`)
) {
  process.exit(0);
}
const result = spawnSync('npx', ['prisma', 'generate'], { cwd: repoRoot, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
