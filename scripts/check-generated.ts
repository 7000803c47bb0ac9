import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { generate } from '@graphql-codegen/cli';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run check:generated`: fails when a checked-in generated file no longer matches its source:
 * schema/ against the subgraphs' SDL (`npm run compose -- --check`) and each subgraph's typed
 * resolvers against its SDL. Codegen runs in memory and is compared with the files on disk, so
 * the check never modifies the working tree.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function checkComposedSchema(): boolean {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'scripts', 'compose.ts'), '--check'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  return result.status === 0;
}

async function staleCodegenOutputs(subgraphDir: string): Promise<string[]> {
  const config = (await import(pathToFileURL(join(subgraphDir, 'codegen.ts')).href)) as {
    default: CodegenConfig;
  };
  // Codegen resolves the schema path against the working directory.
  const previousDir = process.cwd();
  process.chdir(subgraphDir);
  let outputs: { filename: string; content: string }[];
  try {
    outputs = await generate({ ...config.default, cwd: subgraphDir, silent: true }, false);
  } finally {
    process.chdir(previousDir);
  }
  return outputs
    .map((output) => ({
      ...output,
      path: isAbsolute(output.filename) ? output.filename : join(subgraphDir, output.filename),
    }))
    .filter(({ path, content }) => !existsSync(path) || readFileSync(path, 'utf8') !== content)
    .map(({ path }) => relative(repoRoot, path));
}

async function main(): Promise<void> {
  let ok = checkComposedSchema();
  const workspaces = ['subgraphs', 'clients'].flatMap((parent) =>
    existsSync(join(repoRoot, parent))
      ? readdirSync(join(repoRoot, parent))
          .sort()
          .map((name) => join(repoRoot, parent, name))
      : [],
  );
  for (const dir of workspaces) {
    if (!existsSync(join(dir, 'codegen.ts'))) continue;
    const stale = await staleCodegenOutputs(dir);
    const packageName = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name as string;
    if (stale.length > 0) {
      ok = false;
      console.error(
        `Stale generated code: ${stale.join(', ')}. Run \`npm run codegen -w ${packageName}\` and commit it.`,
      );
    } else {
      console.log(`${relative(repoRoot, dir)}: generated code is up to date`);
    }
  }
  process.exit(ok ? 0 : 1);
}

await main();
