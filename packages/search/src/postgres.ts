import type { Db } from '@microshop/db';
import type { Logger } from '@microshop/runtime';
import {
  CATEGORY_FACET_SIZE,
  OPTION_FACET_SIZE,
  PRICE_BANDS,
  aliasName,
  buildFacets,
  decodeCursor,
  documentOptions,
  encodeCursor,
  optionGroups,
  queryTerms,
  sortOf,
  versionedName,
} from './shared.ts';
import type {
  FacetValue,
  SearchDocument,
  SearchIndex,
  SearchRequest,
  SearchResult,
  SearchSortKey,
} from './types.ts';

/**
 * Product search in PostgreSQL: one table per index version in a schema of its own (so it never
 * shows up as drift of the domain schema), a weighted tsvector generated column with a GIN index
 * (name weighted A over description B), prefix matching with `:*`, typo tolerance through pg_trgm
 * word similarity when the extension can be installed, and the alias kept in a small registry
 * table that `reindex` updates in one transaction.
 */

const SCHEMA = 'microshop_search';
/** Serializes the one-time DDL of concurrent processes (parallel test files, replicas). */
const BOOTSTRAP_LOCK = 7_310_411;
/** Exact name match outranks anything ts_rank can give (at most 1). */
const EXACT_NAME_BONUS = 10;

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const table = (name: string) => `${quote(SCHEMA)}.${quote(name)}`;

export interface PostgresSearchIndexOptions {
  db: Db;
  namespace: string;
  logger: Logger;
}

interface SearchRow {
  total: number;
  categories: FacetValue[];
  prices: FacetValue[];
  options: FacetValue[];
  hits: Array<{ id: string; value: number | string }>;
}

/**
 * What each sort orders the matched rows by (columns of the `matched` CTE). Names compare
 * lowercased in byte order (COLLATE "C"), as Elasticsearch orders its lowercased keyword.
 */
const SORT_COLUMN: Record<SearchSortKey, string> = {
  relevance: 'score',
  price: 'price_amount',
  name: 'sort_name',
  createdAt: 'created_ms',
};

/**
 * Columns a version table gained after it was first made; ensureIndex adds them to an old one.
 * `variant_options` stays NULL in rows written before it (see the option filter).
 */
const ADDED_COLUMNS: ReadonlyArray<{ name: string; definition: string }> = [
  { name: 'created_at', definition: 'timestamptz NOT NULL DEFAULT now()' },
  { name: 'options', definition: "text[] NOT NULL DEFAULT '{}'" },
  { name: 'variant_options', definition: 'jsonb' },
];

/** Builds `$n` placeholders while collecting their values, so SQL and parameters cannot drift apart. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

export class PostgresSearchIndex implements SearchIndex {
  readonly engine = 'postgres' as const;
  private readonly alias: string;
  /** Schema holding pg_trgm, or null when the extension is unavailable (no typo tolerance). */
  private trigramSchema: string | null = null;

  constructor(private readonly options: PostgresSearchIndexOptions) {
    this.alias = aliasName(options.namespace);
  }

  private get db(): Db {
    return this.options.db;
  }

  async init(): Promise<void> {
    await this.installTrigram();
    await this.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
      await tx.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS ${quote(SCHEMA)}`);
      await tx.$executeRawUnsafe(
        `CREATE TABLE IF NOT EXISTS ${table('aliases')} (alias text PRIMARY KEY, index_name text NOT NULL)`,
      );
    });
  }

  async close(): Promise<void> {
    // The database client belongs to the caller.
  }

  private async installTrigram(): Promise<void> {
    const find = () =>
      this.db.$queryRawUnsafe<Array<{ schema: string }>>(
        `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`,
      );
    let found = await find();
    if (found.length === 0) {
      try {
        await this.db.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
          await tx.$executeRawUnsafe('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
        });
      } catch (error) {
        this.options.logger.warn(
          { err: error },
          'pg_trgm is not available: search has no typo tolerance',
        );
      }
      found = await find();
    }
    this.trigramSchema = found[0]?.schema ?? null;
  }

  private async currentTable(): Promise<string | null> {
    const rows = await this.db.$queryRawUnsafe<Array<{ index_name: string }>>(
      `SELECT index_name FROM ${table('aliases')} WHERE alias = $1`,
      this.alias,
    );
    return rows[0]?.index_name ?? null;
  }

  private async requireTable(): Promise<string> {
    const name = await this.currentTable();
    if (!name)
      throw new Error(`search index ${this.alias} does not exist: call ensureIndex() first`);
    return name;
  }

  private async createVersion(withIndexes: boolean): Promise<string> {
    const name = versionedName(this.alias);
    await this.db.$executeRawUnsafe(`
      CREATE TABLE ${table(name)} (
        id uuid PRIMARY KEY,
        sku text NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        category_slug text,
        price_amount integer NOT NULL,
        currency text NOT NULL,
        stock integer NOT NULL,
        created_at timestamptz NOT NULL,
        options text[] NOT NULL,
        variant_options jsonb,
        document tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english'::regconfig, name), 'A') ||
          setweight(to_tsvector('english'::regconfig, description), 'B')
        ) STORED
      )`);
    if (withIndexes) await this.createSearchIndexes(name);
    return name;
  }

  private async createSearchIndexes(name: string): Promise<void> {
    // Names left to PostgreSQL: long namespaced table names would truncate into collisions.
    await this.db.$executeRawUnsafe(`CREATE INDEX ON ${table(name)} USING gin (document)`);
    if (this.trigramSchema) {
      await this.db.$executeRawUnsafe(
        `CREATE INDEX ON ${table(name)} USING gin (name ${quote(this.trigramSchema)}.gin_trgm_ops)`,
      );
    }
  }

  /**
   * ALTER TABLE takes the table's strongest lock even when every column exists, queueing behind
   * running searches and blocking new ones: so only when a column is missing (an older table).
   */
  private async addMissingColumns(name: string): Promise<void> {
    const existing = await this.db.$queryRawUnsafe<Array<{ column_name: string }>>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
      SCHEMA,
      name,
    );
    const present = new Set(existing.map((row) => row.column_name));
    const missing = ADDED_COLUMNS.filter((column) => !present.has(column.name));
    if (missing.length === 0) return;
    await this.db.$executeRawUnsafe(
      `ALTER TABLE ${table(name)} ${missing
        .map((column) => `ADD COLUMN IF NOT EXISTS ${column.name} ${column.definition}`)
        .join(', ')}`,
    );
  }

  async ensureIndex(): Promise<boolean> {
    const current = await this.currentTable();
    if (current) {
      await this.addMissingColumns(current);
      return false;
    }
    const name = await this.createVersion(true);
    const inserted = await this.db.$executeRawUnsafe(
      `INSERT INTO ${table('aliases')} (alias, index_name) VALUES ($1, $2) ON CONFLICT (alias) DO NOTHING`,
      this.alias,
      name,
    );
    if (inserted === 0) {
      // Another process created it first: keep theirs.
      await this.db.$executeRawUnsafe(`DROP TABLE ${table(name)}`);
      return false;
    }
    this.options.logger.info({ index: name, alias: this.alias }, 'created search index');
    return true;
  }

  private async upsertInto(name: string, documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.db.$executeRawUnsafe(
      `INSERT INTO ${table(name)} (id, sku, name, description, category_slug, price_amount, currency, stock, created_at, options, variant_options)
       SELECT d.id, d.sku, d.name, d.description, d.category_slug, d.price_amount, d.currency, d.stock, d.created_at,
              ARRAY(SELECT jsonb_array_elements_text(d.options)), d.variant_options
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::timestamptz[], $10::jsonb[], $11::jsonb[])
         AS d(id, sku, name, description, category_slug, price_amount, currency, stock, created_at, options, variant_options)
       ON CONFLICT (id) DO UPDATE SET
         sku = EXCLUDED.sku, name = EXCLUDED.name, description = EXCLUDED.description,
         category_slug = EXCLUDED.category_slug, price_amount = EXCLUDED.price_amount,
         currency = EXCLUDED.currency, stock = EXCLUDED.stock, created_at = EXCLUDED.created_at,
         options = EXCLUDED.options, variant_options = EXCLUDED.variant_options`,
      documents.map((document) => document.id),
      documents.map((document) => document.sku),
      documents.map((document) => document.name),
      documents.map((document) => document.description),
      documents.map((document) => document.categorySlug),
      documents.map((document) => document.priceAmount),
      documents.map((document) => document.currency),
      documents.map((document) => document.stock),
      documents.map((document) => document.createdAt),
      // text[][] cannot be ragged: each document's tokens travel as one JSON array.
      documents.map((document) => JSON.stringify(documentOptions(document))),
      // One array of tokens per variant: [["colour=red","size=s"],["colour=blue","size=m"]].
      documents.map((document) =>
        JSON.stringify(document.variants.map((variant) => variant.options)),
      ),
    );
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    await this.upsertInto(await this.requireTable(), documents);
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const name = await this.requireTable();
    await this.db.$executeRawUnsafe(`DELETE FROM ${table(name)} WHERE id = ANY($1::uuid[])`, ids);
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const name = await this.requireTable();
    const params = new Params();
    const terms = queryTerms(request.query);
    const tsquery = terms.map((term) => `${term}:*`).join(' & ');
    const rawQuery = request.query.trim().toLowerCase();

    // Each matcher drives its own index in its own branch of a UNION (an OR makes the planner
    // scan every row, computing trigram similarity for each); both branches score a row alike,
    // so the UNION keeps one copy of a row both matched.
    const matchers: string[] = [];
    const scoreParts: string[] = [
      `CASE WHEN lower(name) = ${params.add(rawQuery)} THEN ${EXACT_NAME_BONUS} ELSE 0 END`,
    ];
    if (tsquery) {
      const tsq = `to_tsquery('english'::regconfig, ${params.add(tsquery)})`;
      matchers.push(`document @@ ${tsq}`);
      scoreParts.push(`ts_rank(document, ${tsq})::float8`);
    }
    if (this.trigramSchema) {
      const trigram = quote(this.trigramSchema);
      const text = params.add(terms.join(' '));
      // `name %> q`: some extent of the name is similar enough to the query (index-assisted).
      matchers.push(`name OPERATOR(${trigram}.%>) ${text}`);
      scoreParts.push(`${trigram}.word_similarity(${text}, name)::float8 * 0.5`);
    }
    if (matchers.length === 0) {
      return {
        hits: [],
        hasNextPage: false,
        totalCount: 0,
        facets: request.facets ? buildFacets([], new Map()) : [],
      };
    }

    const filters: string[] = [];
    const filter = request.filter;
    if (filter?.categorySlugs)
      filters.push(`category_slug = ANY(${params.add(filter.categorySlugs, '::text[]')})`);
    if (filter?.minPrice !== null && filter?.minPrice !== undefined)
      filters.push(`price_amount >= ${params.add(filter.minPrice, '::int')}`);
    if (filter?.maxPrice !== null && filter?.maxPrice !== undefined)
      filters.push(`price_amount <= ${params.add(filter.maxPrice, '::int')}`);
    if (filter?.inStockOnly) filters.push('stock > 0');
    const groups = optionGroups(filter?.options).map((tokens) => params.add(tokens, '::text[]'));
    for (const tokens of groups) filters.push(`options && ${tokens}`);
    // One variant has a value of every group. Rows written before `variant_options` existed
    // (an index upgraded in place and not reindexed since) have it NULL: the product-wide
    // `options` conditions alone decide for them until they are written again.
    if (groups.length > 0)
      filters.push(`(variant_options IS NULL OR EXISTS (
        SELECT 1 FROM jsonb_array_elements(variant_options) AS variant(tokens)
        WHERE ${groups.map((tokens) => `variant.tokens ?| ${tokens}`).join(' AND ')}))`);

    const sort = sortOf(request);
    const column = SORT_COLUMN[sort.key];
    // Relevance is best (highest) first; other orders ascending unless descending. Ties by id.
    const descending = sort.key === 'relevance' || sort.descending;
    let keyset = 'true';
    if (request.after) {
      const position = decodeCursor(sort, request.after);
      const cast = { relevance: '::float8', price: '::int', name: '::text', createdAt: '::bigint' }[
        sort.key
      ];
      const value = params.add(position.value, cast);
      keyset = `(${column} ${descending ? '<' : '>'} ${value} OR (${column} = ${value} AND id > ${params.add(position.id, '::uuid')}))`;
    }
    const band = `CASE ${PRICE_BANDS.map((priceBand) => {
      const conditions = [
        priceBand.from !== undefined ? `price_amount >= ${priceBand.from}` : null,
        priceBand.to !== undefined ? `price_amount < ${priceBand.to}` : null,
      ].filter(Boolean);
      return `WHEN ${conditions.join(' AND ')} THEN '${priceBand.key}'`;
    }).join(' ')} END`;

    const facets = request.facets
      ? {
          categories: `SELECT coalesce(json_agg(json_build_object('value', category_slug, 'count', n)), '[]'::json)
            FROM (SELECT category_slug, count(*)::int AS n FROM matched WHERE category_slug IS NOT NULL
                  GROUP BY category_slug ORDER BY n DESC, category_slug LIMIT ${CATEGORY_FACET_SIZE}) c`,
          prices: `SELECT coalesce(json_agg(json_build_object('value', band, 'count', n)), '[]'::json)
            FROM (SELECT ${band} AS band, count(*)::int AS n FROM matched GROUP BY 1) p`,
          options: `SELECT coalesce(json_agg(json_build_object('value', token, 'count', n)), '[]'::json)
            FROM (SELECT token, count(*)::int AS n FROM matched, unnest(options) AS token
                  GROUP BY token ORDER BY n DESC, token COLLATE "C" LIMIT ${OPTION_FACET_SIZE}) o`,
        }
      : {
          categories: `SELECT '[]'::json`,
          prices: `SELECT '[]'::json`,
          options: `SELECT '[]'::json`,
        };

    const [row] = await this.db.$queryRawUnsafe<SearchRow[]>(
      `WITH matched AS MATERIALIZED (${matchers
        .map(
          (matcher) => `
         SELECT id, category_slug, price_amount, options, lower(name) COLLATE "C" AS sort_name,
                (extract(epoch FROM created_at) * 1000)::bigint AS created_ms,
                (${scoreParts.join(' + ')}) AS score
         FROM ${table(name)} WHERE ${[matcher, ...filters].join(' AND ')}`,
        )
        .join(' UNION ')}
       )
       SELECT
         (SELECT count(*)::int FROM matched) AS total,
         (${facets.categories}) AS categories,
         (${facets.prices}) AS prices,
         (${facets.options}) AS options,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'value', ${column})
                  ORDER BY ${column} ${descending ? 'DESC' : 'ASC'}, id), '[]'::json)
            FROM (SELECT id, ${column} FROM matched WHERE ${keyset}
                  ORDER BY ${column} ${descending ? 'DESC' : 'ASC'}, id
                  LIMIT ${params.add(request.first + 1, '::int')}) h) AS hits`,
      ...params.values,
    );
    if (!row) throw new Error('search query returned no row');
    const hits = row.hits.map((hit) => ({
      id: hit.id,
      cursor: encodeCursor(sort, { value: hit.value, id: hit.id }),
    }));
    return {
      hits: hits.slice(0, request.first),
      hasNextPage: hits.length > request.first,
      totalCount: row.total,
      facets: request.facets
        ? buildFacets(
            row.categories,
            new Map(row.prices.map((price) => [price.value, price.count])),
            row.options,
          )
        : [],
    };
  }

  async reindex(
    batches: AsyncIterable<SearchDocument[]>,
  ): Promise<{ index: string; documents: number }> {
    // Indexes are built once after the bulk load: far cheaper than maintaining them per row.
    const name = await this.createVersion(false);
    let documents = 0;
    try {
      for await (const batch of batches) {
        await this.upsertInto(name, batch);
        documents += batch.length;
      }
      await this.createSearchIndexes(name);
      await this.db.$executeRawUnsafe(`ANALYZE ${table(name)}`);
    } catch (error) {
      await this.db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table(name)}`).catch(() => undefined);
      throw error;
    }
    const previous = await this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<Array<{ index_name: string }>>(
        `SELECT index_name FROM ${table('aliases')} WHERE alias = $1 FOR UPDATE`,
        this.alias,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO ${table('aliases')} (alias, index_name) VALUES ($1, $2)
         ON CONFLICT (alias) DO UPDATE SET index_name = EXCLUDED.index_name`,
        this.alias,
        name,
      );
      return rows.map((row) => row.index_name);
    });
    for (const old of previous)
      await this.db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table(old)}`);
    this.options.logger.info(
      { index: name, alias: this.alias, documents, removed: previous },
      'reindexed',
    );
    return { index: name, documents };
  }

  async refresh(): Promise<void> {
    // Committed rows are visible at once.
  }

  async drop(): Promise<void> {
    const tables = await this.db.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename LIKE $2`,
      SCHEMA,
      `${this.alias.replaceAll('_', '\\_')}-v%`,
    );
    for (const { name } of tables)
      await this.db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table(name)}`);
    await this.db.$executeRawUnsafe(`DELETE FROM ${table('aliases')} WHERE alias = $1`, this.alias);
  }
}
