/**
 * A batch loader's answer for rows that belong to keys: for each key, in the keys' order, its
 * rows in the order the query returned them (none: an empty list). One pass over the rows.
 */
export function groupedBy<T>(
  keys: readonly string[],
  rows: readonly T[],
  keyOf: (row: T) => string,
): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
