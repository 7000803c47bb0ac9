import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts, non-2xx answers, and answers that differ from the expected body. */
  errors: number;
}

export interface LoadRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The exact answer every request must get (taken from a checked request beforehand). */
  expectBody: string;
}

function run(
  request: LoadRequest,
  connections: number,
  seconds: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: request.url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    expectBody: request.expectBody,
    connections,
    duration: seconds,
    // The load generator gets its own thread (and so the other core): the servers under test
    // keep the main thread to themselves.
    workers: 1,
  });
}

/** A warm-up (discarded), then the measured run, with the same connections. */
export async function measure(request: LoadRequest, settings: LoadSettings): Promise<LoadResult> {
  await run(request, settings.connections, settings.warmupSeconds);
  const result = await run(request, settings.connections, settings.durationSeconds);
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.total / settings.durationSeconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.mismatches,
  };
}
