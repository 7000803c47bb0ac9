import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger, RequestContext, RequestSummary } from '@microshop/runtime';
import type { GatewayFeature } from './feature.ts';
import type { GatewayMetrics, RequestOutcome } from './metrics.ts';
import type { SubgraphCallObserver } from './subgraph-data-source.ts';

/**
 * One JSON log line and one set of metrics per GraphQL HTTP request, written when the response
 * ends, whatever ended it: a refusal before Apollo Server (401, 413), a refusal by it (400), an
 * answer, a failure or the client going away.
 */
export interface RequestLog {
  /** Starts timing a request; its summary goes into the request's context for Apollo to fill. */
  begin(requestId: string, res: ServerResponse): RequestSummary;
}

export function createRequestLog(logger: Logger, metrics: GatewayMetrics): RequestLog {
  return {
    begin(requestId, res) {
      const startedAt = performance.now();
      const summary: RequestSummary = { operationName: null, hadErrors: false, upstreamCalls: [] };
      res.once('close', () => {
        const durationMs = hundredths(performance.now() - startedAt);
        const { statusCode: status } = res;
        const outcome = outcomeOf(status, summary, res.writableFinished);
        metrics.observeRequest({
          operationName: summary.operationName,
          outcome,
          status,
          durationMs,
          responseCache: summary.responseCache,
        });
        const level = outcome === 'error' ? 'warn' : 'info';
        if (!logger.isLevelEnabled(level)) return;
        logger[level](
          {
            requestId,
            operationName: summary.operationName,
            outcome,
            status,
            durationMs,
            subgraphs: summary.upstreamCalls,
            ...(summary.sharedExecutionOf ? { sharedExecutionOf: summary.sharedExecutionOf } : {}),
            ...(summary.responseCache ? { responseCache: summary.responseCache } : {}),
          },
          'graphql request',
        );
      });
      return summary;
    },
  };
}

/**
 * `refused`: turned away before execution (HTTP 4xx: authentication, body, parse, validation and
 * operation limits); `graphql_error`: executed, with errors in the response (partial data
 * included); `error`: HTTP 5xx; `aborted`: the connection closed before the response was sent.
 */
export function outcomeOf(
  status: number,
  summary: RequestSummary,
  responseSent: boolean,
): RequestOutcome {
  if (!responseSent) return 'aborted';
  if (status >= 500) return 'error';
  if (status >= 400) return 'refused';
  return summary.hadErrors ? 'graphql_error' : 'ok';
}

/**
 * Fills the request's summary from Apollo Server's lifecycle: the operation's name once it is
 * resolved, and whether the response carries errors. Operations run without a summary (those
 * the subscription server executes) are left alone.
 */
export function requestSummaryPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const summary = contextValue.summary;
      if (!summary) return;
      return {
        async didResolveOperation({ operationName }) {
          summary.operationName = operationName;
        },
        async willSendResponse({ response }) {
          if (response.body.kind === 'single' && response.body.singleResult.errors?.length)
            summary.hadErrors = true;
        },
      };
    },
  };
}

/**
 * Records each subgraph call in the latency histogram and in its request's summary (for the log
 * line), then tells `next`, if any. Health checks and schema loading carry no context and are
 * measured only.
 */
export function subgraphCallObserver(
  metrics: GatewayMetrics,
  next?: SubgraphCallObserver,
): SubgraphCallObserver {
  return (call) => {
    const { subgraph, durationMs, outcome, context } = call;
    metrics.observeSubgraphCall({ subgraph, outcome, durationMs });
    context.summary?.upstreamCalls.push({
      name: subgraph,
      durationMs: hundredths(durationMs),
      outcome,
    });
    next?.(call);
  };
}

/** Milliseconds as logged: to the hundredth, as precise as a log reader needs. */
function hundredths(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * The request log and the request and subgraph-call metrics: every GraphQL HTTP request gets its
 * summary first thing, so that refusals by the features after this one are logged too.
 */
export function requestLogFeature(
  logger: Logger,
  metrics: GatewayMetrics,
  onSubgraphCall?: SubgraphCallObserver,
): GatewayFeature {
  const requestLog = createRequestLog(logger, metrics);
  return {
    name: 'request-log',
    plugins: [requestSummaryPlugin()],
    async onGraphQLRequest(exchange, next) {
      exchange.context.summary = requestLog.begin(exchange.requestId, exchange.res);
      await next();
    },
    onSubgraphCall: subgraphCallObserver(metrics, onSubgraphCall),
  };
}
