import type { Config, SubgraphName } from '@microshop/config';
import { sendJson } from '@microshop/runtime';
import type { GatewayFeature } from './feature.ts';

export interface SubgraphHealth {
  name: SubgraphName;
  ready: boolean;
}

/** A subgraph's readiness endpoint, beside its /graphql on the same origin. */
export function readinessUrlOf(graphqlUrl: string): string {
  return new URL('/health/ready', graphqlUrl).toString();
}

/** Asks every subgraph's /health/ready at once; the gateway is ready only when all of them are. */
export async function checkSubgraphs(
  subgraphUrls: Config['subgraphUrls'],
  timeoutMs = 2_000,
): Promise<SubgraphHealth[]> {
  const entries = Object.entries(subgraphUrls) as [SubgraphName, string][];
  return Promise.all(
    entries.map(async ([name, url]) => {
      try {
        const response = await fetch(readinessUrlOf(url), {
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        return { name, ready: response.ok };
      } catch {
        return { name, ready: false };
      }
    }),
  );
}

/**
 * `/health/live` (the process answers; never depends on the subgraphs) and `/health/ready` (every
 * subgraph ready, and the gateway not draining: a load balancer stops sending it requests).
 */
export function healthFeature(subgraphUrls: Config['subgraphUrls']): GatewayFeature {
  let draining = () => false;
  return {
    name: 'health',
    async start(runtime) {
      draining = () => runtime.draining;
    },
    routes: {
      '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
      '/health/ready': async (_req, res) => {
        if (draining()) {
          sendJson(res, 503, { status: 'draining', service: 'gateway' });
          return;
        }
        const subgraphs = await checkSubgraphs(subgraphUrls);
        const ready = subgraphs.every((subgraph) => subgraph.ready);
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ok' : 'unavailable',
          service: 'gateway',
          subgraphs,
        });
      },
    },
  };
}
