/**
 * The rows of a table-driven test that are computed (read from files, filtered): `it.each([])` registers no
 * test and the file still passes, so a loader that finds nothing or a filter that drops every row would go
 * unseen. Refuses, when the file is collected, fewer rows than the table is known to have.
 */
export function atLeast<T>(min: number, rows: T[], what: string): T[] {
  if (rows.length < min)
    throw new Error(`${what}: ${rows.length} rows, expected at least ${min} (an empty table registers no test)`);
  return rows;
}
