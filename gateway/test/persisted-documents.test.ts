import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeaderMap } from '@apollo/server';
import { createCache, type Cache } from '@microshop/cache';
import { createLogger } from '@microshop/runtime';
import { loadConfig } from '@microshop/config';
import {
  APQ_MAX_DOCUMENT_BYTES,
  DEFAULT_MANIFEST_PATH,
  PERSISTED_QUERY_NOT_IN_LIST,
  TrustedDocuments,
  admitTrusted,
  apqCache,
  persistedDocumentsFeature,
} from '../src/persisted-documents.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const CATEGORIES = 'query Categories { categories { id name } }';
const ME = 'query Me { me { id } }';

let directory: string;
let documents: TrustedDocuments;

async function manifestFile(content: unknown): Promise<string> {
  const path = join(directory, `${sha256(JSON.stringify(content))}.json`);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'persisted-documents-'));
  documents = await TrustedDocuments.load(
    await manifestFile({
      [`sha256:${sha256(CATEGORIES)}`]: CATEGORIES,
      [`sha256:${sha256(ME)}`]: ME,
    }),
  );
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('loading a manifest', () => {
  it("loads the typed client's generated manifest", async () => {
    const generated = await TrustedDocuments.load(DEFAULT_MANIFEST_PATH);
    expect(generated.size).toBeGreaterThanOrEqual(15);
  });

  it('refuses an entry whose key is not the sha256 of its document', async () => {
    const path = await manifestFile({ [`sha256:${sha256(ME)}`]: CATEGORIES });
    await expect(TrustedDocuments.load(path)).rejects.toThrow(
      /entry "sha256:[0-9a-f]{64}" is not the sha256 of its document/,
    );
  });

  it('refuses keys without the sha256: prefix, non-objects, empty manifests and bad JSON', async () => {
    await expect(TrustedDocuments.load(await manifestFile({ [sha256(ME)]: ME }))).rejects.toThrow(
      /is not the sha256 of its document/,
    );
    await expect(TrustedDocuments.load(await manifestFile([ME]))).rejects.toThrow(
      /is not a JSON object/,
    );
    await expect(TrustedDocuments.load(await manifestFile({}))).rejects.toThrow(/has no documents/);
    await expect(TrustedDocuments.load(await manifestFile('{ "sha256:'))).rejects.toThrow(
      /PERSISTED_DOCUMENTS=trusted cannot read the persisted-documents manifest .* \(PERSISTED_DOCUMENTS_MANIFEST\)/,
    );
  });
});

describe('which document a request names', () => {
  const persistedQuery = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  it('by Apollo hash, documentId or exact text', () => {
    expect(documents.resolve({ extensions: persistedQuery(sha256(ME)) })).toBe(ME);
    expect(documents.resolve({ documentId: `sha256:${sha256(ME)}` })).toBe(ME);
    expect(documents.resolve({ query: ME })).toBe(ME);
    expect(documents.resolve({ query: ME, extensions: persistedQuery(sha256(ME)) })).toBe(ME);
  });

  it('none for other text, unknown hashes, mismatched pairs or nothing at all', () => {
    expect(documents.resolve({ query: `${ME} ` })).toBeUndefined();
    expect(documents.resolve({ extensions: persistedQuery(sha256('{ x }')) })).toBeUndefined();
    expect(documents.resolve({ documentId: sha256(ME) })).toBeUndefined(); // no sha256: prefix
    expect(
      documents.resolve({ query: ME, extensions: persistedQuery(sha256(CATEGORIES)) }),
    ).toBeUndefined();
    expect(documents.resolve({ query: ME, documentId: `sha256:${sha256(CATEGORIES)}` })).toBe(
      undefined,
    );
    expect(documents.resolve({})).toBeUndefined();
    expect(documents.resolve({ query: 42, extensions: 'persistedQuery' })).toBeUndefined();
  });
});

describe('admitting requests in trusted mode', () => {
  const request = (method: string, body: unknown, search = '') => ({
    method,
    headers: new HeaderMap(),
    search,
    body,
  });

  it('hands Apollo Server the manifest text, without the hash it would try to look up', () => {
    const admitted = admitTrusted(
      documents,
      request('POST', {
        documentId: `sha256:${sha256(ME)}`,
        variables: { a: 1 },
        operationName: 'Me',
        extensions: { ...{ persistedQuery: { version: 1, sha256Hash: sha256(ME) } }, trace: true },
      }),
    );
    expect(admitted).toEqual({
      accept: expect.objectContaining({
        body: { query: ME, variables: { a: 1 }, operationName: 'Me', extensions: { trace: true } },
      }),
    });
  });

  it('rewrites a GET by hash into a GET with the text', () => {
    const search = `?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(ME) } }))}&variables=%7B%7D`;
    const admitted = admitTrusted(documents, request('GET', undefined, search));
    if (!('accept' in admitted)) throw new Error('refused');
    const params = new URLSearchParams(admitted.accept.search);
    expect(params.get('query')).toBe(ME);
    expect(params.get('extensions')).toBeNull();
    expect(params.get('variables')).toBe('{}');
  });

  it('refuses untrusted POSTs, batches, bodies that are not objects and broken GET extensions', () => {
    const refused = {
      refuse: {
        status: 400,
        code: PERSISTED_QUERY_NOT_IN_LIST,
        message: 'Only the persisted documents of this API may be executed',
      },
    };
    expect(admitTrusted(documents, request('POST', { query: '{ me { id } }' }))).toEqual(refused);
    expect(admitTrusted(documents, request('POST', [{ query: ME }, { query: '{ x }' }]))).toEqual(
      refused,
    );
    expect(admitTrusted(documents, request('POST', ME))).toEqual(refused);
    expect(admitTrusted(documents, request('POST', undefined))).toEqual(refused);
    expect(admitTrusted(documents, request('GET', undefined, '?query=%7Bx%7D'))).toEqual(refused);
    expect(admitTrusted(documents, request('GET', undefined, '?extensions=%7B'))).toEqual(refused);
  });

  it('leaves other methods to Apollo Server, which runs nothing for them', () => {
    const put = request('PUT', { query: '{ x }' });
    expect(admitTrusted(documents, put)).toEqual({ accept: put });
  });
});

describe('the APQ cache over the embedded (in-memory) cache port', () => {
  let cache: Cache;
  beforeAll(async () => {
    cache = await createCache({ redis: { kind: 'memory' }, namespace: 'apq-test' });
  });
  afterAll(async () => {
    await cache.close();
  });

  it('stores and reads documents; misses are undefined, as Apollo expects', async () => {
    const logger = createLogger('gateway', loadConfig({ LOG_LEVEL: 'silent' }));
    const apq = apqCache(cache, logger);
    expect(await apq.get(`apq:${sha256(ME)}`)).toBeUndefined();
    await apq.set(`apq:${sha256(ME)}`, ME);
    expect(await apq.get(`apq:${sha256(ME)}`)).toBe(ME);
    await apq.delete(`apq:${sha256(ME)}`);
    expect(await apq.get(`apq:${sha256(ME)}`)).toBeUndefined();
  });

  it('does not store a document above the size cap', async () => {
    const logger = createLogger('gateway', loadConfig({ LOG_LEVEL: 'silent' }));
    const apq = apqCache(cache, logger);
    const large = `query Large {${' '.repeat(APQ_MAX_DOCUMENT_BYTES)} me { id } }`;
    await apq.set(`apq:${sha256(large)}`, large);
    expect(await apq.get(`apq:${sha256(large)}`)).toBeUndefined();
  });
});

describe('persistedDocumentsFeature', () => {
  const post = (body: unknown) => ({ method: 'POST', headers: new HeaderMap(), search: '', body });
  const logger = createLogger('gateway', { logLevel: 'silent' });

  it('apq: gives Apollo Server the cache and closes it last', async () => {
    const feature = await persistedDocumentsFeature(
      loadConfig({ PERSISTED_DOCUMENTS: 'apq' }),
      logger,
    );
    const cache = feature.apollo?.persistedQueries?.cache;
    await cache?.set(`apq:${sha256(ME)}`, ME);
    expect(await cache?.get(`apq:${sha256(ME)}`)).toBe(ME);
    expect(feature.screen).toBeUndefined();
    await feature.onClose?.();
  });

  it('trusted: screens every document against the manifest', async () => {
    const manifest = await manifestFile({ [`sha256:${sha256(ME)}`]: ME });
    const feature = await persistedDocumentsFeature(
      loadConfig({ PERSISTED_DOCUMENTS: 'trusted', PERSISTED_DOCUMENTS_MANIFEST: manifest }),
      logger,
    );
    expect(feature.apollo?.persistedQueries).toBeUndefined();
    expect(feature.screen?.(post({ documentId: `sha256:${sha256(ME)}` }))).toEqual({
      accept: post({ query: ME }),
    });
    expect(feature.screen?.(post({ query: CATEGORIES }))).toMatchObject({
      refuse: { status: 400, code: PERSISTED_QUERY_NOT_IN_LIST },
    });
  });

  it('trusted: a broken manifest stops the gateway before it starts', async () => {
    await expect(
      persistedDocumentsFeature(
        loadConfig({
          PERSISTED_DOCUMENTS: 'trusted',
          PERSISTED_DOCUMENTS_MANIFEST: join(directory, 'missing.json'),
        }),
        logger,
      ),
    ).rejects.toThrow(/PERSISTED_DOCUMENTS=trusted cannot read/);
  });

  it('off: adds nothing, so Apollo Server keeps APQ off', async () => {
    const feature = await persistedDocumentsFeature(
      loadConfig({ PERSISTED_DOCUMENTS: 'off' }),
      logger,
    );
    expect(feature).toEqual({ name: 'persisted-documents' });
  });
});
