/**
 * The words every decoder's problems share: "did you mean" for an unknown key, the name of a YAML value's
 * type, and "is not one of" for a closed set of words (config fields, web config fields and flags alike).
 */

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest known key within a small edit distance, case ignored (`Target_Label` → `target_label`). */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(unknown.length / 3)) + 1;
  for (const key of known) {
    const d = editDistance(unknown.toLowerCase(), key.toLowerCase());
    if (d < bestDistance) {
      best = key;
      bestDistance = d;
    }
  }
  return best;
}

/** `unknown field (did you mean "interval"?)`, or the known fields when none is close. */
export function unknownField(key: string, known: readonly string[]): string {
  const hint = closestKey(key, known);
  return `unknown field${hint ? ` (did you mean "${hint}"?)` : ` (known fields: ${known.join(', ')})`}`;
}

/** A YAML value's type as people call it: null, list, mapping, string, number, boolean. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

/** `"x" is not one of a, b`, or with `what`: `"x" is not a TLS version (use one of a, b)`. */
export function notOneOf(value: unknown, allowed: readonly string[], what?: string): string {
  return what === undefined
    ? `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`
    : `${JSON.stringify(value)} is not ${what} (use one of ${allowed.join(', ')})`;
}

/** The value if it is one of `allowed`. */
export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}
