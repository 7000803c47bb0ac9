import type { Config, SubgraphName } from '@microshop/config';

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
