import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, graphql, spawnServerProcess, type ServerProcess } from '@microshop/testing';
import { gatewayProcessEnvironment, startStack, type Stack } from '@microshop/e2e';
import { GATEWAY_MAIN } from '@microshop/gateway';

/**
 * The production entry point with GATEWAY_WORKERS=2: two worker processes share one port, a
 * scrape of /metrics sees both, a worker that dies is replaced, SIGTERM stops them all. And with
 * one process (the default): Ctrl-C lets a request in flight finish before it exits.
 */

const OPERATION = 'ClusterProbe';
const QUERY = `query ${OPERATION} { __typename }`;

let stack: Stack;
let gateway: ServerProcess;
let url: string;
let logFile: string;

interface LogLine {
  msg?: string;
  worker?: number;
  pid?: number;
  operationName?: string;
}

function logLines(): LogLine[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function readyWorkers(): LogLine[] {
  return logLines().filter((line) => line.msg === 'gateway ready' && line.worker !== undefined);
}

async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The sum of `name`'s samples whose labels include `operation="…"`, as one scrape shows them. */
async function scrapedTotal(name: string, operation: string): Promise<number> {
  const response = await fetch(new URL('/metrics', url));
  expect(response.status).toBe(200);
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(`operation="${operation}"`)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

function postOnNewConnection(query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.end(body);
  });
}

beforeAll(async () => {
  stack = await startStack();
  const port = await freePort();
  logFile = join(mkdtempSync(join(tmpdir(), 'microshop-cluster-')), 'gateway.log');
  gateway = await spawnServerProcess({
    args: ['--import', 'tsx', GATEWAY_MAIN],
    env: gatewayProcessEnvironment(stack, port, { GATEWAY_WORKERS: '2' }),
    port,
    logFile,
  });
  url = `http://127.0.0.1:${port}/graphql`;
  await waitFor(() => (readyWorkers().length >= 2 ? true : undefined), 'two ready workers');
});

afterAll(async () => {
  await gateway?.stop();
  await stack?.close();
});

describe('the gateway as a node:cluster of two workers', () => {
  it('serves one port from both workers and sums their metrics in every scrape', async () => {
    const requests = 40;
    for (let i = 0; i < requests; i++) {
      const response = await graphql(url, QUERY);
      expect(response).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    }

    // Each request is logged by the worker that answered it: the primary shares them out.
    const servedBy = new Set(
      logLines()
        .filter((line) => line.operationName === OPERATION)
        .map((line) => line.worker),
    );
    expect(servedBy.size).toBe(2);

    // Whichever worker answers the scrape, the count is the whole cluster's.
    for (let scrape = 0; scrape < 4; scrape++) {
      expect(await scrapedTotal('gateway_http_requests_total', OPERATION)).toBe(requests);
    }
  });

  it('replaces a worker that dies and keeps answering meanwhile', async () => {
    const before = readyWorkers();
    expect(before).toHaveLength(2);
    const victim = before[0]!.pid!;
    process.kill(victim, 'SIGKILL');

    // Once the primary has seen the death, the survivor takes every new connection (a kept-alive
    // one to the dead worker is gone with it, hence new connections).
    await waitFor(
      () => logLines().some((line) => line.msg === 'gateway worker died; restarting') || undefined,
      'the primary to notice',
    );
    for (let i = 0; i < 10; i++) expect(await postOnNewConnection(QUERY)).toBe(200);
    const known = new Set(before.map((line) => line.pid));
    const replacement = await waitFor(
      () => readyWorkers().find((line) => !known.has(line.pid)),
      'a replacement worker',
    );
    expect(replacement.pid).toBeTypeOf('number');
    expect(() => process.kill(victim, 0)).toThrow();
  });

  it('stops every worker on SIGTERM and exits cleanly', async () => {
    const pids = readyWorkers()
      .map((line) => line.pid!)
      .filter((pid) => {
        try {
          return process.kill(pid, 0);
        } catch {
          return false;
        }
      });
    expect(pids).toHaveLength(2);
    const exit = await gateway.stop(20_000);
    expect(exit).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('a single gateway process on Ctrl-C', () => {
  let silentCatalog: Server;

  beforeAll(async () => {
    // Accepts requests and never answers them: a catalog query stays in flight until its timeout.
    silentCatalog = createServer(() => undefined);
    await new Promise<void>((resolve) => silentCatalog.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    silentCatalog.closeAllConnections();
    await new Promise((resolve) => silentCatalog.close(resolve));
  });

  it('answers the request in flight, then exits 0 and listens no more', async () => {
    const port = await freePort();
    const single = await spawnServerProcess({
      args: ['--import', 'tsx', GATEWAY_MAIN],
      env: gatewayProcessEnvironment(stack, port, {
        CATALOG_URL: `http://127.0.0.1:${(silentCatalog.address() as AddressInfo).port}/graphql`,
        CATALOG_TIMEOUT_MS: '2000',
      }),
      port,
      logFile: join(mkdtempSync(join(tmpdir(), 'microshop-sigint-')), 'gateway.log'),
    });
    const singleUrl = `http://127.0.0.1:${port}/graphql`;
    expect(await graphql(singleUrl, QUERY)).toMatchObject({ data: { __typename: 'Query' } });

    const inFlight = graphql(singleUrl, '{ categories { id } }');
    // Long enough for the request to reach the silent catalog, well before its timeout.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const exit = single.stop(20_000, 'SIGINT');

    // Answered (the catalog's part as unavailable, once its timeout passed), not cut.
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(await exit).toEqual({ code: 0, signal: null });
    await expect(fetch(singleUrl)).rejects.toThrow();
  });
});
