import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm test`: every test project against real backends. When none is configured, the real
 * servers are brought up by scripts/infra/up (the same ones CI uses) and their environment used.
 * Extra arguments go to vitest (e.g. `npm test -- --project unit`).
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const BACKENDS = ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'ELASTICSEARCH_URL'] as const;
const env = { ...process.env };

if (BACKENDS.every((name) => !env[name])) {
  console.error('[test] no backend configured: starting them with scripts/infra/up');
  const up = spawnSync('bash', ['scripts/infra/up'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (up.status !== 0) {
    console.error('[test] scripts/infra/up failed');
    process.exit(up.status ?? 1);
  }
  for (const line of up.stdout.split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) env[match[1]] = match[2]!.replace(/^['"]|['"]$/g, '');
  }
}
for (const name of BACKENDS)
  console.error(`[test] ${name}=${env[name] ?? '(not set: its tests will fail)'}`);

const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  cwd: repoRoot,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
