import { BoundedMap, type ReadVersions } from '@microshop/runtime';
import type { ProductPageRow, ProductPageRows } from './product.repository.ts';

interface KeptRow {
  version: string;
  row: ProductPageRow;
}

/**
 * Product pages' rows kept in this process's memory, each given only while the catalog's read
 * version is the one it was read under. That version moves in the same transaction as every
 * write to the catalog's tables (migration 20261205000500_catalog_read_version), and it is read
 * after the request asked (`ReadVersions`: one read per event-loop turn, shared by the requests
 * of that turn), so a price, stock, image or category change is in the very next request, on
 * every catalog instance, whoever wrote it. A row missing or kept under another version is read
 * after the version was, so it is at least as new as that version. Version unknown (database
 * slow or down): every row is read.
 *
 * What it saves: the product statement (a join and two JSON aggregations in PostgreSQL, on the
 * same cores) for every product page and product reference the catalog answers, against one
 * small version read per turn. Rows are shared between requests: nothing may change them.
 */
export function keptProductRows(
  source: ProductPageRows,
  versions: ReadVersions,
  maxEntries: number,
): ProductPageRows {
  const kept = new BoundedMap<KeptRow>(maxEntries);
  return {
    async findByIdsWithCategories(ids) {
      const version = await versions.current();
      if (version === undefined) return source.findByIdsWithCategories(ids);
      const found: ProductPageRow[] = [];
      const missing: string[] = [];
      for (const id of new Set(ids)) {
        const entry = kept.get(id);
        if (entry?.version === version) found.push(entry.row);
        else missing.push(id);
      }
      if (missing.length === 0) return found;
      const read = await source.findByIdsWithCategories(missing);
      for (const row of read) kept.set(row.id, { version, row });
      return [...found, ...read];
    },
  };
}
