import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from '@microshop/runtime';

const METRICS_REQUEST = 'microshop:gateway-metrics-request';
const METRICS_RESPONSE = 'microshop:gateway-metrics-response';
const METRICS_TIMEOUT_MS = 5_000;

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: string;
}
interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: string;
  body?: string;
  error?: string;
}

const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that ran this long before dying is restarted without accumulated backoff. */
const STABLE_AFTER_MS = 30_000;

/**
 * The primary of a gateway cluster (`GATEWAY_WORKERS` > 1). One Node.js thread plans, shapes
 * results and serialises JSON on one core; the gateway is CPU-bound, so it runs one worker process
 * per core sharing the listening port. The primary serves nothing: it forks the workers, restarts
 * one that dies (with backoff) and, on SIGINT/SIGTERM, asks each to drain (SIGTERM) and exits
 * once all have stopped. Each worker is a whole gateway with its own order-status feed, like
 * instances behind a load balancer.
 */
export function runClusterPrimary(workers: number, logger: Logger): void {
  let stopping = false;
  const restartDelayBySlot = new Map<number, number>();

  const fork = (slot: number) => {
    const startedAt = Date.now();
    const worker = cluster.fork();
    worker.once('exit', (code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) {
          logger.info('all gateway workers stopped');
          process.exit(0);
        }
        return;
      }
      const ranFor = Date.now() - startedAt;
      const delay =
        ranFor > STABLE_AFTER_MS
          ? 1_000
          : Math.min((restartDelayBySlot.get(slot) ?? 500) * 2, MAX_RESTART_DELAY_MS);
      restartDelayBySlot.set(slot, delay);
      logger.error({ slot, code, signal, restartInMs: delay }, 'gateway worker died; restarting');
      setTimeout(() => {
        if (!stopping) fork(slot);
      }, delay);
    });
  };

  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping gateway workers');
    const running = Object.values(cluster.workers ?? {});
    if (running.length === 0) process.exit(0);
    for (const worker of running) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  // A scrape of /metrics reaches one worker at random; that worker asks here for every worker's
  // metrics summed (prom-client's cluster aggregation), so one scrape sees the whole gateway.
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<MetricsRequest>) => {
    const id = message?.type === METRICS_REQUEST ? message.id : undefined;
    if (!id) return;
    const reply = (answer: Omit<MetricsResponse, 'type' | 'id'>) =>
      worker.send({ type: METRICS_RESPONSE, id, ...answer } satisfies MetricsResponse);
    aggregator.clusterMetrics().then(
      (body) => reply({ body }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });

  logger.info({ workers }, 'starting gateway workers');
  for (let slot = 0; slot < workers; slot++) fork(slot);
}

/**
 * In a cluster worker: the whole cluster's metrics in Prometheus text format, gathered by the
 * primary from every worker's `registry`. Outside a cluster: `registry`'s own.
 */
export function metricsReader(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  // Constructing one installs prom-client's worker-side listener that answers the primary.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = randomUUID();
      const onMessage = (message: Partial<MetricsResponse>) => {
        if (message?.type !== METRICS_RESPONSE || message.id !== id) return;
        done();
        if (message.body !== undefined) resolve(message.body);
        else reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error('cluster metrics: the primary did not answer'));
      }, METRICS_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        process.off('message', onMessage);
      };
      process.on('message', onMessage);
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}
