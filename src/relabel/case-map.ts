/**
 * `lowercase` / `uppercase` as Go's `strings.ToLower` / `strings.ToUpper`, which Prometheus calls: each code
 * point is mapped on its own by Unicode's *simple* case mapping (UnicodeData.txt), never by the full,
 * context-dependent mapping of JavaScript's `toUpperCase` (`ß` stays `ß`, not `SS`; `Σ` is always `σ`, never
 * a final `ς`). We take JavaScript's mapping of the lone code point when it is one code point, and correct it
 * where that differs from Go's tables (Go 1.21+ ships Unicode 15.0.0):
 * - code points whose full mapping expands (SpecialCasing.txt) map to their simple mapping, listed below,
 *   or to themselves;
 * - case pairs added after Unicode 15.0 (present in this Node's ICU, absent from Go) map to themselves.
 * The tables were derived by comparing Node's mapping of every code point with the simple mappings of the
 * Unicode Character Database (a one-off script over Perl's Unicode::UCD); see test/relabel/case-map.test.ts.
 */

/** Simple mappings that differ from the first code point of the full mapping's expansion. */
const SIMPLE_UPPER = new Map<number, number>([
  [0x1f80, 0x1f88],
  [0x1f81, 0x1f89],
  [0x1f82, 0x1f8a],
  [0x1f83, 0x1f8b],
  [0x1f84, 0x1f8c],
  [0x1f85, 0x1f8d],
  [0x1f86, 0x1f8e],
  [0x1f87, 0x1f8f],
  [0x1f90, 0x1f98],
  [0x1f91, 0x1f99],
  [0x1f92, 0x1f9a],
  [0x1f93, 0x1f9b],
  [0x1f94, 0x1f9c],
  [0x1f95, 0x1f9d],
  [0x1f96, 0x1f9e],
  [0x1f97, 0x1f9f],
  [0x1fa0, 0x1fa8],
  [0x1fa1, 0x1fa9],
  [0x1fa2, 0x1faa],
  [0x1fa3, 0x1fab],
  [0x1fa4, 0x1fac],
  [0x1fa5, 0x1fad],
  [0x1fa6, 0x1fae],
  [0x1fa7, 0x1faf],
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
const SIMPLE_LOWER = new Map<number, number>([[0x130, 0x69]]);

/** Code points whose case mapping arrived after Unicode 15.0 (Unicode 16 and 17): Go leaves them alone. */
const NEWER_THAN_GO: ReadonlyArray<readonly [number, number]> = [
  [0x019b, 0x019b],
  [0x0264, 0x0264],
  [0x1c89, 0x1c8a],
  [0xa7cb, 0xa7cf],
  [0xa7d2, 0xa7d5],
  [0xa7da, 0xa7dc],
  [0x10d50, 0x10d85],
  [0x16ea0, 0x16ed3],
];

function newerThanGo(cp: number): boolean {
  for (const [lo, hi] of NEWER_THAN_GO) if (cp >= lo && cp <= hi) return true;
  return false;
}

// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const ASCII = /^[\x00-\x7f]*$/;

function mapCodePoint(cp: number, upper: boolean): number {
  const simple = (upper ? SIMPLE_UPPER : SIMPLE_LOWER).get(cp);
  if (simple !== undefined) return simple;
  if (newerThanGo(cp)) return cp;
  const char = String.fromCodePoint(cp);
  const mapped = upper ? char.toUpperCase() : char.toLowerCase();
  const first = mapped.codePointAt(0) as number;
  // A multi-code-point result is a SpecialCasing expansion; its simple mapping (not in the table) is the identity.
  return mapped.length === String.fromCodePoint(first).length ? first : cp;
}

function mapString(value: string, upper: boolean): string {
  if (ASCII.test(value)) return upper ? value.toUpperCase() : value.toLowerCase();
  let out = '';
  for (const char of value) out += String.fromCodePoint(mapCodePoint(char.codePointAt(0) as number, upper));
  return out;
}

export function goToLower(value: string): string {
  return mapString(value, false);
}

export function goToUpper(value: string): string {
  return mapString(value, true);
}
