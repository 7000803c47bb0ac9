// The orders subgraph's public entry: what the stack uses of it.
export { start } from './start.ts';
export { startWorker, type RunningWorker } from './worker.ts';
