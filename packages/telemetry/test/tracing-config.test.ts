import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@microshop/config';

describe('tracing configuration', () => {
  it('is off unless an OTLP endpoint is set', () => {
    expect(loadConfig({}).tracing).toEqual({ kind: 'off' });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing).toEqual({ kind: 'off' });
  });

  it('sends to v1/traces under the generic endpoint, as OpenTelemetry specifies', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
      kind: 'otlp',
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: undefined,
    });
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/base/' }).tracing,
    ).toMatchObject({ tracesUrl: 'https://otel.example/base/v1/traces' });
  });

  it('takes the traces endpoint as it is, before the generic one, and the service name override', () => {
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
        OTEL_SERVICE_NAME: 'shop-edge',
      }).tracing,
    ).toEqual({ kind: 'otlp', tracesUrl: 'http://traces:9999/custom', serviceName: 'shop-edge' });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    for (const [name, value] of [
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://collector:4317'],
      ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'collector:4318'],
    ] as const) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: .*http\\(s\\)`));
    }
  });
});
