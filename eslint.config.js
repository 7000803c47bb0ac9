import tseslint from 'typescript-eslint';
import microshop from './eslint/package-boundaries.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/generated/**', '.data/**', 'clients/**/gql/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { microshop },
    rules: {
      'microshop/package-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read loosely typed JSON responses.
    files: ['**/test/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
