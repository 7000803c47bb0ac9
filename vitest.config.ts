import { defineConfig } from 'vitest/config';

const everywhere = ['packages', 'subgraphs', 'gateway', 'scripts', 'clients', 'e2e'].map(
  (folder) => `${folder}/**`,
);
const ignored = ['**/node_modules/**', '**/.data/**'];

export default defineConfig({
  test: {
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: everywhere.map((glob) => `${glob}/*.test.ts`),
          exclude: [...ignored, '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: everywhere.map((glob) => `${glob}/*.int.test.ts`),
          exclude: ignored,
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: everywhere.map((glob) => `${glob}/*.e2e.test.ts`),
          exclude: ignored,
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Whole-stack files each start every service; two at once fill a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
