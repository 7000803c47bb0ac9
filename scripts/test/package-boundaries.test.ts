import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { packageBoundaries } from '../../eslint/package-boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** A file at this path of the repository (it need not exist; its package is what counts). */
const at = (path: string) => `${repoRoot}${path}`;
const leaves = [{ messageId: 'leavesPackage' }];

new RuleTester({ languageOptions: { parser: tseslint.parser } }).run(
  'package-boundaries',
  packageBoundaries,
  {
    valid: [
      {
        filename: at('packages/search/src/elasticsearch/query.ts'),
        code: "import '../shared.ts';",
      },
      { filename: at('subgraphs/catalog/src/index.ts'), code: "export * from '../demo/seed.ts';" },
      { filename: at('scripts/seed.ts'), code: "import { reindexProducts } from './reindex.ts';" },
      {
        filename: at('e2e/src/stack.ts'),
        code: "import { startGateway } from '@microshop/gateway';",
      },
      {
        filename: at('gateway/src/start.ts'),
        code: "new URL('../../schema/supergraph.graphql', import.meta.url);",
      },
    ],
    invalid: [
      {
        filename: at('packages/testing/src/stack.ts'),
        code: "import { start } from '../../../subgraphs/users/src/start.ts';",
        errors: leaves,
      },
      {
        filename: at('subgraphs/users/codegen.ts'),
        code: "import { subgraphCodegenConfig } from '../../scripts/codegen-config.ts';",
        errors: leaves,
      },
      {
        filename: at('scripts/reindex.ts'),
        code: "export { SearchService } from './../subgraphs/catalog/src/search.service.ts';",
        errors: leaves,
      },
      {
        filename: at('bench/search.ts'),
        code: 'const gateway = await import(`../gateway/src/start.ts`);',
        errors: leaves,
      },
      {
        filename: at('packages/events/src/bus.ts'),
        code: "type Db = import('../../db').Db;",
        errors: leaves,
      },
      {
        filename: at('packages/testing/src/process.ts'),
        code: "new URL('../../../gateway/src/main.ts', import.meta.url);",
        errors: leaves,
      },
      {
        filename: at('gateway/src/index.ts'),
        code: "require('../../clients/typescript/src/gql/persisted-documents.json');",
        errors: leaves,
      },
    ],
  },
);
