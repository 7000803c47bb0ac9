import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  HeaderMap,
  type ApolloServer,
  type BaseContext,
  type HTTPGraphQLRequest,
} from '@apollo/server';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A request id from the caller when it is a sane token, otherwise a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming)
    ? incoming
    : randomUUID();
}

/** The first `x-forwarded-for` hop when present, else the socket's peer address. */
export function clientAddressOf(req: IncomingMessage): string | undefined {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress;
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

const JSON_MEDIA_TYPE = 'application/json';

/** `application/json; charset=utf-8` -> `application/json`. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (mediaTypeOf(contentType) === JSON_MEDIA_TYPE) return JSON.parse(raw);
  return raw;
}

/**
 * Apollo Server answers some refusals (CSRF, batching, method, body shape) before any plugin sees
 * the request; this gives their errors the same extensions (e.g. the request id) as the others.
 * Rare, so parsing the body again costs nothing on the paths that matter.
 */
function withErrorExtensions(body: string, extensions: Record<string, unknown>): string {
  let parsed: { errors?: { extensions?: Record<string, unknown> }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return body;
  }
  if (!Array.isArray(parsed.errors)) return body;
  for (const error of parsed.errors) error.extensions = { ...extensions, ...error.extensions };
  return JSON.stringify(parsed);
}

/** What a `screen` decides about a request before Apollo Server sees it. */
export type ScreenedRequest =
  { accept: HTTPGraphQLRequest } | { refuse: { status: number; message: string; code: string } };

/**
 * Serves one GraphQL request through Apollo Server on a plain node:http request: no framework
 * on the hot path, one place that turns HTTP into Apollo's request shape for every service.
 */
export async function handleGraphQLRequest<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    maxBodyBytes: number;
    context: () => Promise<TContext>;
    extraHeaders?: Record<string, string>;
    /** Added to the extensions of every error answered here rather than by Apollo Server. */
    errorExtensions?: Record<string, unknown>;
    /**
     * Sees the request once its body is read, before Apollo Server: passes it on (possibly
     * rewritten) or refuses it with one GraphQL error.
     */
    screen?: (request: HTTPGraphQLRequest) => ScreenedRequest;
  },
): Promise<void> {
  const sendError = (status: number, message: string, code: string) =>
    sendJson(res, status, {
      errors: [{ message, extensions: { code, ...options.errorExtensions } }],
    });
  const mediaType = mediaTypeOf(req.headers['content-type']);
  if (req.method === 'POST' && mediaType !== undefined && mediaType !== JSON_MEDIA_TYPE) {
    // GraphQL-over-HTTP bodies are JSON. This also turns away the form and text/plain posts a
    // cross-site page can send without a preflight, before their body is read.
    res.setHeader('connection', 'close');
    sendError(415, `Send GraphQL requests as ${JSON_MEDIA_TYPE}`, 'UNSUPPORTED_MEDIA_TYPE');
    return;
  }
  let body: unknown;
  try {
    body = parseBody(await readBody(req, options.maxBodyBytes), req.headers['content-type']);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      // Closing the connection stops Node from reading (and discarding) the rest of the body.
      res.setHeader('connection', 'close');
      sendError(413, 'Request body too large', 'PAYLOAD_TOO_LARGE');
    } else sendError(400, 'Request body is not valid JSON', 'BAD_REQUEST');
    return;
  }

  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  let httpGraphQLRequest: HTTPGraphQLRequest = {
    method: req.method ?? 'GET',
    headers,
    search: url.search,
    body,
  };
  if (options.screen) {
    const screened = options.screen(httpGraphQLRequest);
    if ('refuse' in screened) {
      sendError(screened.refuse.status, screened.refuse.message, screened.refuse.code);
      return;
    }
    httpGraphQLRequest = screened.accept;
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: options.context,
  });

  for (const [key, value] of response.headers) res.setHeader(key, value);
  for (const [key, value] of Object.entries(options.extraHeaders ?? {})) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(
      res.statusCode >= 400 && options.errorExtensions
        ? withErrorExtensions(response.body.string, options.errorExtensions)
        : response.body.string,
    );
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
