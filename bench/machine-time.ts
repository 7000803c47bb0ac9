import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's time goes during a measured run: CPU time (user + system, from Linux's
 * /proc) of every process on the host, grouped by what it is, divided by the requests answered.
 * On two shared cores a gateway's throughput is the machine's time divided by what one request
 * costs across all processes, so this says which process a cheaper request would have to come from.
 */

/** CPU milliseconds per answered request, by process group, and the cores kept busy in all. */
export interface MachineTime {
  msPerRequest: Record<string, number>;
  busyCores: number;
}

/** What a process is, from its command line; processes of no interest are `other`. */
export function processGroup(commandLine: string): string {
  const subgraph = /subgraphs\/(\w+)\/src\/main\.ts/.exec(commandLine);
  if (subgraph) return subgraph[1]!;
  if (commandLine.includes('worker-main.ts')) return 'orders worker';
  if (/gateway\/src\/main\.ts|bench\/target-process\.ts/.test(commandLine)) return 'gateway';
  if (commandLine.includes('bench/run.ts')) return 'load generator';
  if (/opensearch|elasticsearch/i.test(commandLine)) return 'search engine';
  if (/kafka/i.test(commandLine)) return 'kafka';
  if (/^postgres|\/postgres\b/.test(commandLine)) return 'postgres';
  if (commandLine.startsWith('redis-server') || commandLine.includes('/redis-server'))
    return 'redis';
  return 'other';
}

/** /proc counts CPU time in clock ticks: USER_HZ, 100 on every mainstream Linux (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

interface Snapshot {
  at: number;
  ticksByPid: Map<string, { ticks: number; group: string }>;
}

function snapshot(): Snapshot | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined; // not Linux: no figures
  }
  const ticksByPid = new Map<string, { ticks: number; group: string }>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at state; utime, stime are 14, 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      ticksByPid.set(pid, { ticks, group: processGroup(commandLine) });
    } catch {
      // the process ended between listing and reading: it did no work in this window
    }
  }
  return { at: performance.now(), ticksByPid };
}

/**
 * Runs `run` and reports the CPU time every process spent meanwhile, per request it answered.
 * Processes started during the run are not counted (a run's processes are all up before it).
 */
export async function measureMachineTime<T extends { requests: number }>(
  run: () => Promise<T>,
): Promise<{ result: T; machineTime?: MachineTime }> {
  const before = snapshot();
  const result = await run();
  const after = snapshot();
  if (!before || !after || result.requests === 0) return { result };
  const ticksByGroup = new Map<string, number>();
  for (const [pid, { ticks, group }] of after.ticksByPid) {
    const earlier = before.ticksByPid.get(pid);
    if (!earlier) continue;
    ticksByGroup.set(group, (ticksByGroup.get(group) ?? 0) + ticks - earlier.ticks);
  }
  const msOf = (ticks: number) => (ticks / CLOCK_TICKS_PER_SECOND) * 1000;
  const msPerRequest: Record<string, number> = {};
  let totalTicks = 0;
  for (const [group, ticks] of [...ticksByGroup].sort(([, a], [, b]) => b - a)) {
    totalTicks += ticks;
    if (ticks > 0) msPerRequest[group] = round2(msOf(ticks) / result.requests);
  }
  msPerRequest.total = round2(msOf(totalTicks) / result.requests);
  const seconds = (after.at - before.at) / 1000;
  return {
    result,
    machineTime: { msPerRequest, busyCores: round2(msOf(totalTicks) / 1000 / seconds) },
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
