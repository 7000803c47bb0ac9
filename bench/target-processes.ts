import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerProcess } from '@microshop/testing';
import type { ProcessStack } from './process-stack.ts';
import { supergraphAt, type RunningTarget } from './targets.ts';

/** Starting and stopping the targets under test in front of one process stack. */
export interface Targets {
  stack: ProcessStack;
  /** The checked-in supergraph pointed at this stack's subgraphs, in a file for the target processes. */
  supergraphFile: string;
  inputFile(name: string, content: string): string;
  /** (a) bare, (c) stock Apollo or (d) Hive in a process of its own. */
  start(key: string, kind: 'bare' | 'apollo' | 'hive', input: string): Promise<RunningTarget>;
  /** MicroShop's gateway process with `settings` over its defaults. */
  startMicroShop(key: string, settings: NodeJS.ProcessEnv): Promise<RunningTarget>;
}

export function targetsOver(stack: ProcessStack): Targets {
  const inputFile = (name: string, content: string) => {
    const path = join(tmpdir(), `microshop-bench-${process.pid}-${name}`);
    writeFileSync(path, content);
    return path;
  };
  const supergraphFile = inputFile(
    'supergraph.graphql',
    supergraphAt(
      readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'),
      stack.subgraphUrls,
    ),
  );
  const running = (server: ServerProcess): RunningTarget => ({
    url: `http://127.0.0.1:${server.port}/graphql`,
    close: async () => void (await server.stop()),
  });
  const targetProcess = new URL('./target-process.ts', import.meta.url).pathname;
  return {
    stack,
    supergraphFile,
    inputFile,
    start: async (key, kind, input) =>
      running(
        await stack.spawn(key, targetProcess, (port) =>
          stack.environment({
            BENCH_TARGET: kind,
            BENCH_PORT: String(port),
            BENCH_INPUT_FILE: input,
          }),
        ),
      ),
    startMicroShop: async (key, settings) => running(await stack.startGateway(key, settings)),
  };
}
