export * from './context.ts';
export * from './errors.ts';
export * from './http.ts';
export * from './logger.ts';
export * from './subgraph-server.ts';
export * from './lifecycle.ts';
export * from './service.ts';
export * from './scalars.ts';
export { startTracing, traceHeaders, type ServiceName, type Tracing } from '@microshop/telemetry';
