import { fileURLToPath } from 'node:url';

// The gateway's public entry: what the stack, the whole-stack tests and the benchmarks use of it.
export { startGateway, type GatewayOptions } from './start.ts';
export {
  DEFAULT_OPERATION_LIMITS,
  OPERATION_LIMIT_EXCEEDED,
  type OperationLimitName,
} from './operation-limits.ts';
export {
  APQ_MAX_DOCUMENT_BYTES,
  DEFAULT_MANIFEST_PATH,
  PERSISTED_QUERY_NOT_IN_LIST,
} from './persisted-documents.ts';
export type { SubgraphCall } from './subgraph-data-source.ts';

/** The gateway's process entry point (what `npm run start:service -- gateway` runs), for tests that spawn it. */
export const GATEWAY_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
