import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The top frames of V8 CPU profiles (`node --cpu-prof`): self time by function, and by package
 * (the node_modules directory a frame's script lives in, or the workspace for our own code), so a
 * profile can be read, and written down, without a browser.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Monotonic clock, µs: the same clock as process.hrtime in any process of the machine. */
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** `…/node_modules/@apollo/server/dist/…` → `@apollo/server`; our own code → its workspace path. */
function packageOf(url: string): string {
  if (url === '') return '(native / V8)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.startsWith('node:')) return 'node (built-in)';
  const workspace = /\/(packages|subgraphs|gateway|bench)\/([^/]+)?/.exec(url);
  return workspace ? workspace[0].slice(1) : url;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const workspace = /\/(packages|subgraphs|gateway|bench)\/.*/.exec(url);
  return workspace ? workspace[0].slice(1) : url;
}

/** Monotonic µs intervals; samples outside all of them (start-up, preparation) are left out. */
export type Windows = readonly (readonly [number, number])[];

/** Self time of every sampled frame within `windows`, in ms (samples spaced by timeDeltas). */
function selfTimes(profile: CpuProfile, windows: Windows): Map<ProfileNode, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Map<ProfileNode, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  for (let index = 0; index < samples.length; index += 1) {
    at += deltas[index] ?? 0;
    if (windows.length && !windows.some(([from, to]) => at >= from && at <= to)) continue;
    const node = byId.get(samples[index]!);
    if (!node) continue;
    times.set(node, (times.get(node) ?? 0) + (deltas[index] ?? 0) / 1000);
  }
  return times;
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

export function summariseProfile(profile: CpuProfile, windows: Windows = [], top = 15): string {
  const times = selfTimes(profile, windows);
  let total = 0;
  let busy = 0;
  const byFrame = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [node, ms] of times) {
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') continue;
    busy += ms;
    const frame = IDLE.has(name) ? name : `${name} ${shortUrl(url)}:${lineNumber + 1}`;
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + ms);
    const pkg = IDLE.has(name) ? name : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const percent = (ms: number) => `${((100 * ms) / Math.max(busy, 1)).toFixed(1)}%`;
  const rows = (entries: Map<string, number>) =>
    [...entries]
      .sort((left, right) => right[1] - left[1])
      .slice(0, top)
      .map(
        ([name, ms]) =>
          `  ${percent(ms).padStart(6)}  ${Math.round(ms).toString().padStart(7)} ms  ${name}`,
      );
  return [
    `  busy ${Math.round(busy)} ms of ${Math.round(total)} ms sampled${windows.length ? ' under measured load' : ''}; self time, share of busy:`,
    '  by package:',
    ...rows(byPackage),
    '  by function:',
    ...rows(byFrame),
  ].join('\n');
}

/**
 * One summary per subdirectory of `directory` (one per process): its largest `*.cpuprofile`, the
 * main thread's (a process under tsx also profiles its loader thread, which does little).
 */
export function summariseProfiles(directory: string, windows: Windows = [], top = 15): string {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((label) => {
      const files = readdirSync(join(directory, label))
        .filter((file) => file.endsWith('.cpuprofile'))
        .map((file) => join(directory, label, file))
        .sort((left, right) => statSync(right).size - statSync(left).size);
      if (!files[0]) return [];
      const profile = JSON.parse(readFileSync(files[0], 'utf8')) as CpuProfile;
      return [`${label} (${files[0]})\n${summariseProfile(profile, windows, top)}`];
    })
    .join('\n\n');
}

/** `tsx bench/profile-summary.ts <dir> [top]`: summarise profiles written earlier. */
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [directory, top] = process.argv.slice(2);
  if (!directory) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <directory of .cpuprofile> [top]\n');
    process.exit(64);
  }
  process.stdout.write(`${summariseProfiles(directory, [], Number(top ?? 15))}\n`);
}
