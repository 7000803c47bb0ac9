export {
  FLUSH_TIMEOUT_MS,
  isTracing,
  startTracing,
  tracerOf,
  type ServiceName,
  type Tracing,
  type TracingLogger,
} from './tracing.ts';
export {
  activeSpan,
  activeTraceparent,
  contextFromHeaders,
  contextFromTraceparent,
  inHttpServerSpan,
  inSpan,
  traceHeaders,
  SpanKind,
  TRACEPARENT,
  type Attributes,
  type Span,
  type SpanOptions,
  type Tracer,
} from './spans.ts';
