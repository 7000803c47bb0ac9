import { readFileSync } from 'node:fs';
import { startApolloGateway, startBareServer, startHiveGateway } from './targets.ts';

/**
 * One comparison target in a process of its own, so that every gateway under test gets the same
 * share of the machine: `BENCH_TARGET` is `bare` (a fixed body read from `BENCH_INPUT_FILE`),
 * `apollo` or `hive` (a supergraph read from `BENCH_INPUT_FILE`), listening on `BENCH_PORT`.
 * SIGTERM stops it.
 */
const kind = process.env.BENCH_TARGET;
const port = Number(process.env.BENCH_PORT);
const inputFile = process.env.BENCH_INPUT_FILE;
if (!inputFile || !Number.isInteger(port))
  throw new Error('BENCH_INPUT_FILE and BENCH_PORT are required');
const input = readFileSync(inputFile, 'utf8');

const starters = { bare: startBareServer, apollo: startApolloGateway, hive: startHiveGateway };
if (kind !== 'bare' && kind !== 'apollo' && kind !== 'hive') {
  throw new Error(`BENCH_TARGET must be bare, apollo or hive, got "${kind}"`);
}
const target = await starters[kind](input, port);
process.once('SIGTERM', () => {
  void target.close().finally(() => process.exit(0));
});
