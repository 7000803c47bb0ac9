import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { createPrismaClient, readCatalogVersion } from '@microshop/db';
import {
  BoundedMap,
  coalescedReadVersions,
  type Logger,
  type ReadVersions,
  type RequestContext,
} from '@microshop/runtime';
import { documentKey, executionKey } from './execution-key.ts';
import { InFlightByCaller } from './in-flight.ts';
import { rootFieldNodes } from './root-fields.ts';
import type { GatewayFeature } from './feature.ts';

/** The one subgraph whose reads are kept: its tables move a read version (readCatalogVersion). */
const CACHED_SUBGRAPH = 'catalog';

/**
 * Root fields never answered from the cache. The search index follows the catalog's tables
 * asynchronously (ProductChanged → search sync, then the engine's refresh), so an answer kept
 * while the index still showed the old state would outlive the change with no write left to end
 * it.
 */
const UNCACHED_ROOT_FIELDS: ReadonlySet<string> = new Set(['searchProducts']);

/** Documents whose plans are remembered (cacheable or not). */
const MAX_DOCUMENTS = 1_000;

/** Response header of every query the cache could answer: `hit` or `miss`. */
export const RESPONSE_CACHE_HEADER = 'x-response-cache';

interface KeptAnswer {
  version: string;
  data: NonNullable<GatewayExecutionResult['data']>;
}

/**
 * Answers of anonymous queries whose plan fetches from the catalog alone, kept in this gateway's
 * memory and given again only while the catalog's read version is the one they were read under.
 * That version grows in the same transaction as every write to the catalog's tables (database
 * triggers), and a kept answer is looked up with a version read after the request arrived, so
 * a price, stock or category change is in the very next request, on every gateway instance.
 *
 * What is kept: queries with no Authorization header (what the catalog shows depends on nothing
 * else of the caller), whose plan (learned on their document's first execution, which runs
 * uncached) calls no subgraph but the catalog, with no root field of UNCACHED_ROOT_FIELDS,
 * answered without errors. A miss runs as a fresh read (`freshRead`: it joins no identical
 * request already in flight, which may have started before the version was read); identical
 * misses under one version share it. Live fields' pushes are fresh reads and never use the cache.
 */
export function cacheAnonymousCatalogReads(options: {
  versions: ReadVersions;
  maxEntries: number;
}): Pick<GatewayFeature, 'onPlanned' | 'wrapExecutor'> {
  const cacheableDocuments = new BoundedMap<boolean>(MAX_DOCUMENTS);
  const answers = new BoundedMap<KeptAnswer>(options.maxEntries);
  // Filed by version instead of caller: no write ends the joining, a new version does.
  const fills = new InFlightByCaller<{
    requestId: string | undefined;
    result: Promise<GatewayExecutionResult>;
  }>();

  const mark = (requestContext: GatewayGraphQLRequestContext, outcome: 'hit' | 'miss') => {
    const context = requestContext.context as Partial<RequestContext>;
    if (context.summary) context.summary.responseCache = outcome;
    requestContext.response?.http?.headers.set(RESPONSE_CACHE_HEADER, outcome);
  };

  return {
    onPlanned(subgraphs, requestContext) {
      const catalogOnly = [...subgraphs].every((subgraph) => subgraph === CACHED_SUBGRAPH);
      const { document } = requestContext;
      const rootFields = rootFieldNodes(requestContext.operation.selectionSet, (name) =>
        document.definitions.find(
          (definition): definition is FragmentDefinitionNode =>
            definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === name,
        ),
      );
      const cacheable =
        catalogOnly && !rootFields.some((field) => UNCACHED_ROOT_FIELDS.has(field.name.value));
      cacheableDocuments.set(documentKey(requestContext), cacheable);
    },

    wrapExecutor: (execute) => async (requestContext) => {
      const context = requestContext.context as Partial<RequestContext>;
      // A document not planned yet runs as any query would (deduplication included); from its
      // plan on, it is known whether the cache may answer it.
      if (
        requestContext.operation.operation !== 'query' ||
        context.authorization ||
        context.freshRead ||
        cacheableDocuments.get(documentKey(requestContext)) !== true
      )
        return execute(requestContext);
      const key = executionKey(requestContext);
      const version = key === undefined ? undefined : await options.versions.current();
      if (key === undefined || version === undefined) return execute(requestContext);

      const kept = answers.get(key);
      if (kept?.version === version) {
        mark(requestContext, 'hit');
        return { data: kept.data };
      }
      mark(requestContext, 'miss');
      // Misses of one answer under one version share its execution: it started after that
      // version was read, so it is at least as new as anything a caller who read it may expect.
      const running = fills.get(version, key);
      if (running) {
        if (context.summary) context.summary.sharedExecutionOf = running.requestId;
        return running.result;
      }
      context.freshRead = true;
      const result = execute(requestContext);
      fills.track(version, key, { requestId: context.requestId, result }, result);
      const answered = await result;
      if (answered.data && !answered.errors) answers.set(key, { version, data: answered.data });
      return answered;
    },
  };
}

/**
 * The response cache (see cacheAnonymousCatalogReads), reading the catalog's version from the
 * database at `databaseUrl` over a pool of its own.
 */
export function responseCacheFeature(options: {
  databaseUrl: string;
  maxEntries: number;
  logger: Logger;
}): GatewayFeature {
  // Version reads are one small statement per event-loop turn: two connections keep up with them.
  const db = createPrismaClient(options.databaseUrl, { maxConnections: 2 });
  return {
    name: 'response-cache',
    ...cacheAnonymousCatalogReads({
      versions: coalescedReadVersions(() => readCatalogVersion(db), options.logger),
      maxEntries: options.maxEntries,
    }),
    onClose: () => db.$disconnect(),
  };
}
