import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  propagation,
  trace,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { isTracing } from './tracing.ts';

export { SpanKind, type Attributes, type Span, type Tracer };

/** The W3C header (and event envelope field) that carries a trace across processes. */
export const TRACEPARENT = 'traceparent';

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

const incomingHeaders: TextMapGetter<IncomingHttpHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

/** The trace context a request's caller sent (`traceparent`), or a new root when there is none. */
export function contextFromHeaders(headers: IncomingHttpHeaders): Context {
  // From the root, never from the active context: in the whole-stack harness the caller of a
  // subgraph runs in the same process.
  return propagation.extract(ROOT_CONTEXT, headers, incomingHeaders);
}

/** The trace context an event was written in (its envelope's `traceparent`). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  return traceparent
    ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent })
    : ROOT_CONTEXT;
}

/**
 * The headers that carry the active trace to a service this one calls: `{ traceparent }` inside a
 * traced request, nothing otherwise (and nothing at all, at no cost, with tracing off).
 */
export function traceHeaders(): Readonly<Record<string, string>> {
  if (!isTracing()) return NO_HEADERS;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The active trace as a `traceparent` value, for an event written on its behalf. */
export function activeTraceparent(): string | undefined {
  return traceHeaders()[TRACEPARENT];
}

export interface SpanOptions {
  kind: SpanKind;
  /**
   * The parent: a remote one (from headers or an event; a root span when it holds none), or by
   * default the active context (a call made while serving a request).
   */
  parent?: Context;
  attributes?: Attributes;
}

/**
 * Runs `work` inside a new span, active for everything `work` awaits (so deeper spans and events
 * written there join the trace). A failure is recorded on the span and rethrown; the span ends
 * when `work` settles.
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(
    name,
    { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Serves one HTTP request inside a SERVER span that continues the caller's trace (its
 * `traceparent` header), named `METHOD /path`, with the response status once `serve` is done.
 * Without a tracer (the service is not traced) it is just `serve()`.
 */
export function inHttpServerSpan<T>(
  tracer: Tracer | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  attributes: Attributes,
  serve: () => Promise<T>,
): Promise<T> {
  if (!tracer) return serve();
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  return inSpan(
    tracer,
    `${method} ${path}`,
    {
      kind: SpanKind.SERVER,
      parent: contextFromHeaders(req.headers),
      attributes: { 'http.request.method': method, 'url.path': path, ...attributes },
    },
    async (span) => {
      const result = await serve();
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
      }
      return result;
    },
  );
}

/** The span the caller runs in, if any: for attributes learnt on the way (the operation name). */
export function activeSpan(): Span | undefined {
  return isTracing() ? trace.getActiveSpan() : undefined;
}
