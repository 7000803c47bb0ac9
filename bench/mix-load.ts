import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A closed-loop load of distinct requests: `connections` loops, each sending one request at a
 * time on its own keep-alive connection, every request built afresh (its own variables and
 * token) and every answer read and checked. What autocannon cannot do with one fixed body.
 */

export interface MixRequest {
  /** Which kind of request (product page, listing...), for the per-kind counts. */
  kind: string;
  body: string;
  token?: string;
  /** Whether the parsed `data` is a right answer (beyond having no `errors`). */
  check(data: unknown): boolean;
}

export interface MixResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Transport failures, non-200 answers, answers with `errors`, and answers failing `check`. */
  errors: number;
  /** Requests answered, and their latency, by kind (where a mix's tail comes from). */
  byKind: Record<string, { requests: number; p50Ms: number; p99Ms: number }>;
  /** The first few failures, so a run with errors says what they were. */
  errorSamples: string[];
  /** When the measured run began and ended (monotonic clock, µs): a CPU profile's window. */
  window: [fromUs: number, toUs: number];
}

function post(
  agent: Agent,
  url: URL,
  body: string,
  token: string | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Why an answer is wrong, or undefined when it is right. */
function faultOf(request: MixRequest, status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 200)}`;
  let parsed: { data?: unknown; errors?: unknown[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  if (parsed.errors?.length) return `errors: ${JSON.stringify(parsed.errors).slice(0, 200)}`;
  if (!parsed.data || !request.check(parsed.data)) return `wrong data: ${text.slice(0, 200)}`;
  return undefined;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

function percentiles(latencies: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50Ms: Math.round(percentile(sorted, 0.5) * 10) / 10,
    p99Ms: Math.round(percentile(sorted, 0.99) * 10) / 10,
  };
}

async function runFor(
  target: string,
  next: () => MixRequest,
  connections: number,
  seconds: number,
): Promise<MixResult> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const latenciesByKind: Record<string, number[]> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  const fail = (fault: string) => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(fault);
  };
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  const fromUs = monotonicUs();
  const startedAt = performance.now();
  const endsAt = startedAt + seconds * 1000;
  const loop = async () => {
    while (performance.now() < endsAt) {
      const mixRequest = next();
      const sentAt = performance.now();
      try {
        const { status, text } = await post(agent, url, mixRequest.body, mixRequest.token);
        const latency = performance.now() - sentAt;
        latencies.push(latency);
        (latenciesByKind[mixRequest.kind] ??= []).push(latency);
        const fault = faultOf(mixRequest, status, text);
        if (fault) fail(`${mixRequest.kind}: ${fault}`);
      } catch (error) {
        fail(`${mixRequest.kind}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsedSeconds),
    ...percentiles(latencies),
    errors,
    byKind: Object.fromEntries(
      Object.entries(latenciesByKind).map(([kind, kindLatencies]) => [
        kind,
        { requests: kindLatencies.length, ...percentiles(kindLatencies) },
      ]),
    ),
    errorSamples,
    window: [fromUs, monotonicUs()],
  };
}

/**
 * A warm-up (discarded), then the measured run, with the same connections; `aroundRun` is told
 * when the measured run starts and ends (e.g. to read a target's counters over exactly that run).
 */
export async function measureMix(
  target: string,
  next: () => MixRequest,
  settings: { connections: number; warmupSeconds: number; durationSeconds: number },
  aroundRun?: (run: () => Promise<MixResult>) => Promise<MixResult>,
): Promise<MixResult> {
  await runFor(target, next, settings.connections, settings.warmupSeconds);
  const run = () => runFor(target, next, settings.connections, settings.durationSeconds);
  return aroundRun ? aroundRun(run) : run();
}
