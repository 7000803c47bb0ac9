import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { HTTPGraphQLRequest, PersistedQueryOptions } from '@apollo/server';
import { createCache, type Cache } from '@microshop/cache';
import type { Config } from '@microshop/config';
import type { Logger, ScreenedRequest } from '@microshop/runtime';
import type { GatewayFeature } from './feature.ts';

/**
 * Persisted documents at the gateway, in one of three modes (`PERSISTED_DOCUMENTS`):
 * - `apq` (default): Apollo's automatic persisted queries. A client sends a document's sha256 once
 *   with its text; later requests send the hash alone. The cache is the project's Cache port
 *   (Redis with REDIS_URL, this process's memory otherwise). Apollo Server stores a document only
 *   after it parsed, validated and passed `didResolveOperation`, so a document the operation
 *   limits refuse is never stored.
 * - `trusted`: only the documents of a manifest run (the typed client's
 *   persisted-documents.json); anything else is refused before Apollo Server sees it.
 * - `off`: plain GraphQL over HTTP, no persisted queries.
 */

/** Trusted mode refuses every document outside the manifest with this code and HTTP 400. */
export const PERSISTED_QUERY_NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/** The manifest the typed client's codegen writes, as the client package exports it. */
export const DEFAULT_MANIFEST_PATH = pathToFileURL(
  createRequire(import.meta.url).resolve('@microshop/client/persisted-documents.json'),
);

/** A registered document expires a day after it was stored; the client then registers it again. */
export const APQ_TTL_SECONDS = 24 * 60 * 60;
/**
 * Larger documents still run but are not stored, so one client cannot fill the cache with a few
 * huge ones; the storefront's largest document is about 1 KiB.
 */
export const APQ_MAX_DOCUMENT_BYTES = 32 * 1024;

type ApqCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * Apollo Server's APQ cache over the project's Cache port. Keys are `apq:<sha256>` (Apollo's
 * prefix) under the port's NAMESPACE prefix. A cache that cannot be read counts as a miss: the
 * client then sends the full text, and the request still runs.
 */
export function apqCache(cache: Cache, logger: Pick<Logger, 'warn'>): ApqCache {
  return {
    async get(key) {
      try {
        return (await cache.get(key)) ?? undefined;
      } catch (error) {
        logger.warn({ err: error }, 'persisted-query cache unreadable; treated as a miss');
        return undefined;
      }
    },
    async set(key, value) {
      if (Buffer.byteLength(value) > APQ_MAX_DOCUMENT_BYTES) return;
      await cache.set(key, value, APQ_TTL_SECONDS);
    },
    async delete(key) {
      await cache.delete(key);
    },
  };
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const MANIFEST_KEY = /^sha256:([0-9a-f]{64})$/;

/** The documents of a trusted-documents manifest, by the hex sha256 of their exact text. */
export class TrustedDocuments {
  private constructor(private readonly byHash: ReadonlyMap<string, string>) {}

  get size(): number {
    return this.byHash.size;
  }

  /**
   * Reads a manifest of `"sha256:<hex>": "<document>"` entries and checks every hash against its
   * text, so a hand-edited or truncated manifest stops the gateway at start instead of refusing
   * its own clients later.
   */
  static async load(path: string | URL): Promise<TrustedDocuments> {
    const where = `the persisted-documents manifest ${path instanceof URL ? path.pathname : path} (PERSISTED_DOCUMENTS_MANIFEST)`;
    let manifest: unknown;
    try {
      manifest = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new Error(
        `PERSISTED_DOCUMENTS=trusted cannot read ${where}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
      throw new Error(`${where} is not a JSON object of "sha256:<hex>": "<document>"`);
    }
    const byHash = new Map<string, string>();
    for (const [key, document] of Object.entries(manifest)) {
      const hash = MANIFEST_KEY.exec(key)?.[1];
      if (!hash || typeof document !== 'string' || sha256Hex(document) !== hash) {
        throw new Error(`${where}: entry "${key}" is not the sha256 of its document`);
      }
      byHash.set(hash, document);
    }
    if (byHash.size === 0) throw new Error(`${where} has no documents`);
    return new TrustedDocuments(byHash);
  }

  /**
   * The manifest document a request names: by `documentId` (`sha256:<hex>`, the GraphQL-over-HTTP
   * persisted-documents form), by `extensions.persistedQuery.sha256Hash` (Apollo's form, what
   * @microshop/client sends), or by its full `query` text (which must then be in the manifest and
   * match any hash sent with it).
   */
  resolve(params: {
    query?: unknown;
    documentId?: unknown;
    extensions?: unknown;
  }): string | undefined {
    const persistedQuery = (
      params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined
    )?.persistedQuery;
    const named =
      typeof params.documentId === 'string'
        ? (MANIFEST_KEY.exec(params.documentId)?.[1] ?? '')
        : typeof persistedQuery?.sha256Hash === 'string'
          ? persistedQuery.sha256Hash
          : undefined;
    if (typeof params.query === 'string' && params.query !== '') {
      const hash = sha256Hex(params.query);
      return this.byHash.has(hash) && (named === undefined || named === hash)
        ? params.query
        : undefined;
    }
    return named === undefined ? undefined : this.byHash.get(named);
  }
}

/** Request parameters as Apollo Server reads them, with the document resolved to its trusted text. */
function withTrustedText(params: Record<string, unknown>, text: string): Record<string, unknown> {
  const { documentId: _documentId, extensions, ...rest } = params;
  // Apollo Server runs the text; with APQ off in this mode, a persistedQuery extension would fail.
  const { persistedQuery: _persistedQuery, ...otherExtensions } = (extensions ?? {}) as Record<
    string,
    unknown
  >;
  return {
    ...rest,
    query: text,
    ...(Object.keys(otherExtensions).length > 0 ? { extensions: otherExtensions } : {}),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Trusted mode at the HTTP edge: a GET or POST whose every operation is a manifest document is
 * passed on to Apollo Server with the manifest's text as its `query`; anything else is refused
 * before parsing (so neither its syntax nor the schema is revealed). Other methods pass unchanged:
 * Apollo Server answers them 405 without running anything.
 */
export function admitTrusted(
  documents: TrustedDocuments,
  request: HTTPGraphQLRequest,
): ScreenedRequest {
  const refuse: ScreenedRequest = {
    refuse: {
      status: 400,
      code: PERSISTED_QUERY_NOT_IN_LIST,
      message: 'Only the persisted documents of this API may be executed',
    },
  };
  if (request.method === 'POST') {
    const operations = Array.isArray(request.body) ? request.body : [request.body];
    const trusted = operations.map((params) => {
      const text = isRecord(params) ? documents.resolve(params) : undefined;
      return text === undefined
        ? undefined
        : withTrustedText(params as Record<string, unknown>, text);
    });
    if (trusted.some((params) => params === undefined)) return refuse;
    return { accept: { ...request, body: Array.isArray(request.body) ? trusted : trusted[0] } };
  }
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    let extensions: unknown;
    try {
      extensions = JSON.parse(search.get('extensions') ?? 'null') ?? undefined;
    } catch {
      return refuse;
    }
    const params = {
      query: search.get('query') ?? undefined,
      documentId: search.get('documentId') ?? undefined,
      extensions,
    };
    const text = documents.resolve(params);
    if (text === undefined) return refuse;
    const trusted = withTrustedText(params, text);
    search.set('query', text);
    search.delete('documentId');
    if (trusted.extensions) search.set('extensions', JSON.stringify(trusted.extensions));
    else search.delete('extensions');
    return { accept: { ...request, search: `?${search.toString()}` } };
  }
  return { accept: request };
}

/**
 * The mode `PERSISTED_DOCUMENTS` chooses: `apq` gives Apollo Server its cache (opened here, closed
 * last); `trusted` reads the manifest first, so a missing or broken one stops the gateway before it
 * opens anything, and then screens every document, subscriptions' included; `off` adds nothing.
 */
export async function persistedDocumentsFeature(
  config: Config,
  logger: Logger,
): Promise<GatewayFeature> {
  const { mode, manifestPath } = config.gateway.persistedDocuments;
  if (mode === 'trusted') {
    const documents = await TrustedDocuments.load(manifestPath ?? DEFAULT_MANIFEST_PATH);
    return {
      name: 'persisted-documents',
      screen: (request) => admitTrusted(documents, request),
    };
  }
  if (mode === 'apq') {
    const store = await createCache(config, { logger });
    return {
      name: 'persisted-documents',
      apollo: { persistedQueries: { cache: apqCache(store, logger) } },
      onClose: () => store.close(),
    };
  }
  return { name: 'persisted-documents' };
}
