// The catalog subgraph's public entry: what the stack, `npm start`, the scripts and the
// benchmarks use of it.
export { start } from './start.ts';
export { reindex } from './search.service.ts';
export { seedDemoCatalog, seedGeneratedCatalog, seededRandom } from '../demo/seed.ts';
