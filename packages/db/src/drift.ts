import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import prismaSchemaWasm from '@prisma/prisma-schema-wasm';
import { parseDatabaseUrl } from './client.ts';

export const PRISMA_SCHEMA_DIR = fileURLToPath(new URL('../../../prisma/schema', import.meta.url));

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface Datamodel {
  models: DmmfModel[];
  enums: {
    name: string;
    dbName?: string | null;
    values: { name: string; dbName?: string | null }[];
  }[];
  indexes: {
    model: string;
    type: 'id' | 'unique' | 'normal' | 'fulltext';
    fields: { name: string }[];
  }[];
}

async function readDatamodel(dir: string): Promise<{ datamodel: Datamodel; sources: string }> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.prisma')).sort();
  const files = await Promise.all(
    names.map(async (name) => [join(dir, name), await readFile(join(dir, name), 'utf8')] as const),
  );
  const dmmf = JSON.parse(prismaSchemaWasm.get_dmmf(JSON.stringify({ prismaSchema: files })));
  return {
    datamodel: dmmf.datamodel as Datamodel,
    sources: files.map(([, text]) => text).join('\n'),
  };
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'int4',
  BigInt: 'int8',
  Boolean: 'bool',
  DateTime: 'timestamp',
  Json: 'jsonb',
  Float: 'float8',
  Decimal: 'numeric',
  Bytes: 'bytea',
};
const NATIVE_TYPES: Record<string, string> = {
  Uuid: 'uuid',
  VarChar: 'varchar',
  Char: 'bpchar',
  Text: 'text',
  Timestamptz: 'timestamptz',
  Timestamp: 'timestamp',
  Date: 'date',
  Integer: 'int4',
  SmallInt: 'int2',
  BigInt: 'int8',
  JsonB: 'jsonb',
  Json: 'json',
  Inet: 'inet',
  Citext: 'citext',
};

/**
 * Differences between the Prisma schema (prisma/schema) and a migrated database: tables, columns,
 * column types and nullability, primary keys, unique and plain indexes, enums, foreign keys.
 * Columns declared `Unsupported(...)` in the Prisma schema (e.g. generated tsvector columns)
 * are checked for existence only. An empty list means no drift.
 */
export async function findSchemaDrift(url: string, dir = PRISMA_SCHEMA_DIR): Promise<string[]> {
  const { datamodel, sources } = await readDatamodel(dir);
  const { connectionString, schema = 'public' } = parseDatabaseUrl(url);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const problems: string[] = [];
  try {
    const columns = await client.query<{
      table_name: string;
      column_name: string;
      udt_name: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
        WHERE table_schema = $1`,
      [schema],
    );
    const indexes = await client.query<{
      table_name: string;
      columns: string[];
      is_unique: boolean;
      is_primary: boolean;
    }>(
      `SELECT t.relname AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
              array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace
        WHERE s.nspname = $1`,
      [schema],
    );
    const enums = await client.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace s ON s.oid = t.typnamespace
        WHERE s.nspname = $1 GROUP BY t.typname`,
      [schema],
    );
    const foreignKeys = await client.query<{ table_name: string; columns: string[] }>(
      `SELECT t.relname AS table_name,
              array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
        WHERE c.contype = 'f' AND s.nspname = $1`,
      [schema],
    );

    const tableOf = new Map(
      datamodel.models.map((model) => [model.name, model.dbName ?? model.name]),
    );
    const enumDbName = new Map(
      datamodel.enums.map((entry) => [entry.name, entry.dbName ?? entry.name]),
    );
    const dbTables = new Set(columns.rows.map((row) => row.table_name));
    dbTables.delete('_prisma_migrations');

    for (const model of datamodel.models) {
      const table = tableOf.get(model.name)!;
      if (!dbTables.delete(table)) {
        problems.push(`table ${table} (model ${model.name}) is missing`);
        continue;
      }
      const dbColumns = new Map(
        columns.rows.filter((row) => row.table_name === table).map((row) => [row.column_name, row]),
      );
      const columnOf = new Map<string, string>();
      for (const field of model.fields) {
        if (field.kind === 'object') continue;
        const column = field.dbName ?? field.name;
        columnOf.set(field.name, column);
        const actual = dbColumns.get(column);
        dbColumns.delete(column);
        if (!actual) {
          problems.push(`column ${table}.${column} is missing`);
          continue;
        }
        const base =
          field.kind === 'enum'
            ? enumDbName.get(field.type)!
            : field.nativeType
              ? (NATIVE_TYPES[field.nativeType[0]] ?? field.nativeType[0].toLowerCase())
              : (SCALAR_TYPES[field.type] ?? field.type);
        const expected = field.isList ? `_${base}` : base;
        if (actual.udt_name !== expected) {
          problems.push(`column ${table}.${column} is ${actual.udt_name}, schema says ${expected}`);
        }
        const nullable = actual.is_nullable === 'YES';
        if (!field.isList && nullable === field.isRequired) {
          problems.push(
            `column ${table}.${column} is ${nullable ? '' : 'NOT '}NULL, schema disagrees`,
          );
        }
      }
      for (const field of model.fields) {
        if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
        const expected = field.relationFromFields.map((name) => columnOf.get(name) ?? name);
        const found = foreignKeys.rows.some(
          (fk) => fk.table_name === table && fk.columns.join() === expected.join(),
        );
        if (!found) problems.push(`foreign key ${table}(${expected.join(', ')}) is missing`);
      }
      for (const extra of dbColumns.keys()) {
        const declaredUnsupported = new RegExp(
          `Unsupported\\([^)]*\\)[^\\n]*@map\\("${extra}"\\)`,
        ).test(sources);
        if (!declaredUnsupported)
          problems.push(`column ${table}.${extra} is not in the Prisma schema`);
      }
      for (const index of datamodel.indexes.filter((entry) => entry.model === model.name)) {
        if (index.type === 'fulltext') continue;
        const expected = index.fields.map((field) => columnOf.get(field.name) ?? field.name);
        const found = indexes.rows.some(
          (row) =>
            row.table_name === table &&
            row.columns.join() === expected.join() &&
            (index.type === 'id' ? row.is_primary : index.type === 'unique' ? row.is_unique : true),
        );
        if (!found)
          problems.push(`${index.type} index ${table}(${expected.join(', ')}) is missing`);
      }
    }
    for (const table of dbTables) problems.push(`table ${table} is not in the Prisma schema`);

    for (const entry of datamodel.enums) {
      const name = entry.dbName ?? entry.name;
      const actual = enums.rows.find((row) => row.name === name);
      const expected = entry.values.map((value) => value.dbName ?? value.name);
      if (!actual) problems.push(`enum ${name} is missing`);
      else if (actual.values.join() !== expected.join()) {
        problems.push(
          `enum ${name} has (${actual.values.join(', ')}), schema says (${expected.join(', ')})`,
        );
      }
    }
    return problems;
  } finally {
    await client.end();
  }
}
