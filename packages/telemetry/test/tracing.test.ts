import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import { OtlpSpanKind, startOtlpReceiver, type OtlpReceiver } from '../src/otlp-receiver.ts';
import {
  FLUSH_TIMEOUT_MS,
  activeTraceparent,
  inHttpServerSpan,
  inSpan,
  isTracing,
  SpanKind,
  startTracing,
  traceHeaders,
  tracerOf,
  type Tracing,
  type TracingLogger,
} from '../src/index.ts';

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./fixtures/start-tracing.ts', import.meta.url));

interface Reported {
  level: string;
  message: string;
}
function recordingLogger(): TracingLogger & { lines: Reported[] } {
  const lines: Reported[] = [];
  return {
    lines,
    warn: (_fields, message) => void lines.push({ level: 'warn', message }),
    error: (_fields, message) => void lines.push({ level: 'error', message }),
  };
}

/** The fixture in a fresh process: which @opentelemetry packages starting tracing loaded. */
async function packagesLoaded(
  endpoint?: string,
): Promise<{ packages: string[]; closeMs: number; stderr: string }> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', FIXTURE, ...(endpoint ? [endpoint] : [])],
    { cwd: fileURLToPath(new URL('../../..', import.meta.url)) },
  );
  const { packages, closeMs } = JSON.parse(stdout) as { packages: string[]; closeMs: number };
  return { packages, closeMs, stderr };
}

/** An address where nothing listens: the port of a server that was just closed. */
async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const each of opened.splice(0).reverse()) await each.close();
});

describe('tracing off (no OTLP endpoint configured)', () => {
  it('loads nothing of the OpenTelemetry SDK, only the API', async () => {
    const { packages } = await packagesLoaded();
    expect(packages).toEqual(['@opentelemetry/api']);
  }, 30_000);

  it('leaves every helper on its no-op path and registers nothing globally', async () => {
    const logger = recordingLogger();
    const tracing = await startTracing(loadConfig({}), 'users', logger);
    expect(tracerOf('users')).toBeUndefined();
    expect(isTracing()).toBe(false);
    // One shared frozen object: a subgraph call allocates nothing for tracing.
    expect(traceHeaders()).toEqual({});
    expect(traceHeaders()).toBe(traceHeaders());
    expect(activeTraceparent()).toBeUndefined();
    // The OpenTelemetry API keeps its registrations (context manager, propagator, providers)
    // under this global; with tracing off it was never created.
    expect(Reflect.get(globalThis, Symbol.for('opentelemetry.js.api.1'))).toBeUndefined();
    await tracing.close();
    expect(logger.lines).toEqual([]);
  });
});

describe('tracing on', () => {
  let receiver: OtlpReceiver;

  async function start(service: 'gateway' | 'users', env: NodeJS.ProcessEnv = {}) {
    const tracing: Tracing = await startTracing(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env }),
      service,
      recordingLogger(),
    );
    opened.push(tracing);
    return tracing;
  }

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server: Server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }

  it('loads the SDK only then, and a collector that is down does not fail close()', async () => {
    const { packages, closeMs, stderr } = await packagesLoaded(await deadEndpoint());
    expect(packages).toEqual(
      expect.arrayContaining([
        '@opentelemetry/sdk-trace',
        '@opentelemetry/exporter-trace-otlp-http',
        '@opentelemetry/context-async-hooks',
      ]),
    );
    // The fixture's one span could not be delivered: reported, and the process still exited 0.
    expect(stderr).toContain('spans not delivered at shutdown');
    // A generous bound guarding fail-fast shutdown, not speed: close() gives up after
    // FLUSH_TIMEOUT_MS (3 s) instead of waiting out the exporter's ~10 s of retries.
    expect(closeMs).toBeLessThan(FLUSH_TIMEOUT_MS + 4_000);
  }, 30_000);

  it('gives each service of one process its own service.name and carries the trace over HTTP', async () => {
    receiver = await startOtlpReceiver();
    opened.push(receiver);
    const gatewayTracing = await start('gateway');
    const usersTracing = await start('users');
    const users = tracerOf('users')!;
    const gateway = tracerOf('gateway')!;
    expect(users).toBeDefined();
    expect(gateway).not.toBe(users);

    let seenTraceparent: string | undefined;
    const url = await serve((req, res) => {
      void inHttpServerSpan(users, req, res, { 'microshop.request_id': 'r-1' }, async () => {
        seenTraceparent = req.headers.traceparent as string | undefined;
        res.writeHead(200).end('{}');
      });
    });
    const sent = await inSpan(gateway, 'subgraph users', { kind: SpanKind.CLIENT }, async () => {
      const headers = traceHeaders();
      const response = await fetch(url, { method: 'POST', headers: { ...headers } });
      expect(response.status).toBe(200);
      return headers.traceparent;
    });
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(seenTraceparent).toBe(sent);
    // Outside any span there is no trace to carry.
    expect(activeTraceparent()).toBeUndefined();

    // close() flushes: the spans are at the collector when it resolves, without waiting.
    await usersTracing.close();
    await gatewayTracing.close();
    const client = receiver.spans.find((span) => span.kind === OtlpSpanKind.CLIENT);
    const server = receiver.spans.find((span) => span.kind === OtlpSpanKind.SERVER);
    expect(client).toMatchObject({ service: 'gateway', name: 'subgraph users' });
    expect(server).toMatchObject({
      service: 'users',
      name: 'POST /graphql',
      traceId: client!.traceId,
      parentSpanId: client!.spanId,
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/graphql',
        'http.response.status_code': 200,
        'microshop.request_id': 'r-1',
      },
    });
    expect(receiver.rejected).toBe(0);

    // The last service closed: back on the no-op path.
    expect(isTracing()).toBe(false);
    expect(traceHeaders()).toEqual({});
  });

  it('records a failure on the span and rethrows it', async () => {
    receiver = await startOtlpReceiver();
    opened.push(receiver);
    const tracing = await start('users');
    const failing = inSpan(tracerOf('users')!, 'fails', { kind: SpanKind.INTERNAL }, async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await tracing.close();
    expect(receiver.spans).toEqual([expect.objectContaining({ name: 'fails', statusCode: 2 })]);
  });

  it('names the service OTEL_SERVICE_NAME when set, and keeps a service traced while one handle is open', async () => {
    receiver = await startOtlpReceiver();
    opened.push(receiver);
    const first = await start('users', { OTEL_SERVICE_NAME: 'shop-users' });
    const second = await start('users', { OTEL_SERVICE_NAME: 'shop-users' });
    await second.close();
    expect(tracerOf('users')).toBeDefined();
    await inSpan(tracerOf('users')!, 'still traced', { kind: SpanKind.INTERNAL }, async () => {});
    await first.close();
    expect(tracerOf('users')).toBeUndefined();
    expect(receiver.spans).toEqual([
      expect.objectContaining({ service: 'shop-users', name: 'still traced' }),
    ]);
  });
});
