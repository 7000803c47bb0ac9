import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The `extensions.code` of every error of a GraphQL answer, in order. */
export function errorCodes(result: {
  errors?: { extensions?: Record<string, unknown> }[];
}): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<GraphQLRequestBody | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as GraphQLRequestBody);
}

export interface GraphQLRequestBody {
  query?: string;
  variables?: Record<string, unknown>;
}

/**
 * A tiny HTTP server answering every request with the JSON `answer(body, req)` returns: stands
 * in for another team's subgraph (cart, catalog) whose own tests cover it, or serves a JWKS.
 */
export async function startJsonServer(
  answer: (body: GraphQLRequestBody | undefined, req: IncomingMessage) => unknown,
): Promise<RunningHttp> {
  const server: Server = createServer(async (req, res) => {
    const payload = JSON.stringify(answer(await readJson(req), req));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
