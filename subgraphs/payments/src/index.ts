// The payments subgraph's public entry: what the stack uses of it.
export { start } from './start.ts';
