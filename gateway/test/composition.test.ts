import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The checked-in schema/ is exactly what the subgraphs' SDL composes to. Runs the real
 * `npm run compose -- --check` (in Node, where graphql resolves to the one copy composition uses).
 */
describe('schema/', () => {
  it('composes without errors and matches the checked-in files', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/compose.ts', '--check'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'schema/ is up to date (users, catalog, cart, orders, payments)',
    );
    expect(result.status).toBe(0);
  }, 60_000);
});
