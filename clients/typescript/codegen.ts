import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the storefront operations in operations/*.graphql, checked against the
 * composed client API (schema/api.graphql), plus the persisted-documents manifest
 * (src/gql/persisted-documents.json: sha256 hash -> document text) that the gateway's
 * trusted-documents mode loads. Paths are relative to this package (codegen runs here).
 */
const config: CodegenConfig = {
  schema: '../../schema/api.graphql',
  documents: ['operations/*.graphql'],
  overwrite: true,
  silent: true,
  // The repository's convention for relative imports (NodeNext + allowImportingTsExtensions).
  importExtension: '.ts',
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        skipIndexFile: true,
        // Each document carries its hash (`__meta__.hash`), the same one the manifest is keyed by.
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      config: {
        // Plain strings, no graphql-js at runtime: the client posts `String(document)`.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
};

export default config;
