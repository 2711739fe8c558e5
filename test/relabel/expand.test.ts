/**
 * Go `Regexp.Expand` / `ReplaceAllString` semantics, table-driven. Expected values follow regexp.go
 * `extract` and `expand`; the cases that a Prometheus 2.42 can check are also in the data files.
 */
import { describe, expect, it } from 'vitest';
import { compileTemplate, expand, replaceAll } from '../../src/relabel/expand.js';
import { compileAnchored } from '../../src/relabel/regex.js';

function run(regex: string, template: string, input: string): string | null {
  const re = compileAnchored(regex);
  const match = re.firstMatch(input);
  return match === null ? null : expand(compileTemplate(template, re), input, match);
}

describe('expand', () => {
  it.each([
    ['(a)(b)', '$1', 'ab', 'a'],
    ['(a)(b)', '${1}', 'ab', 'a'],
    ['(a)(b)', '$1x', 'ab', ''], // the group named "1x"
    ['(?P<1x>a)(b)', '$1x', 'ab', 'a'],
    ['(a)(b)', '${1}x', 'ab', 'ax'],
    ['(a)(b)', '$$1', 'ab', '$1'],
    ['(a)(b)', '$$$1', 'ab', '$a'],
    ['(a)(b)', '$01', 'ab', ''], // leading zero: a name
    ['(?P<01>a)(b)', '$01', 'ab', 'a'],
    ['(a)(b)', '$0', 'ab', 'ab'],
    ['(a)(b)', '$00', 'ab', ''],
    ['(a)(b)', '${', 'ab', '${'],
    ['(a)(b)', '${1', 'ab', '${1'],
    ['(a)(b)', '${}', 'ab', '${}'],
    ['(a)(b)', '${a-b}', 'ab', '${a-b}'],
    ['(a)(b)', '$', 'ab', '$'],
    ['(a)(b)', '$-', 'ab', '$-'],
    ['(a)(b)', '$ 1', 'ab', '$ 1'],
    ['(a)(b)', '$_', 'ab', ''], // "_" is a name
    ['(?P<_>a)(b)', '$_', 'ab', 'a'],
    ['(a)(b)', '$é', 'ab', ''], // letters are Unicode letters
    ['(a)(b)', '$1é', 'ab', ''],
    ['(a)(b)', '$1٣', 'ab', ''], // Arabic-Indic digit: part of the name, not of the number
    ['(a)(b)', '$3', 'ab', ''],
    ['(a)(b)', '$99999999', 'ab', ''],
    ['(a)(b)', '$100000000', 'ab', ''], // 1e8 and above is a name
    ['(a)|(b)', '[$1][$2]', 'b', '[][b]'],
    ['(?P<x>a)?b', '[$x]', 'b', '[]'],
    ['(?P<host>[^:]+):(?P<port>\\d+)', '${port}/$host', 'h:1', '1/h'],
    ['(a)(b)', '$constructor$toString${__proto__}', 'ab', ''],
    ['(a)(b)', 'no dollars', 'ab', 'no dollars'],
    ['(.)(.)', '$2$1', 'é😀', '😀é'], // groups are code points; slicing is by UTF-16 index
  ])('%s with %s on %s → %s', (regex, template, input, expected) => {
    expect(run(regex, template, input)).toBe(expected);
  });

  it('keeps a template without $ as a literal', () => {
    const template = compileTemplate('plain', compileAnchored('(.*)'));
    expect(template.literal).toBe('plain');
  });
});

describe('replaceAll (Go ReplaceAllString)', () => {
  it.each([
    // An anchored regex matches the whole name once: the result is the expansion.
    ['__meta_(.+)', '$1', '__meta_zone', 'zone'],
    ['(b.*)', 'bar_${1}', 'b1', 'bar_b1'],
    // Regexes that escape the anchors match several times; text between matches is kept.
    ['x)|(y', 'Z', 'xay', 'ZaZ'],
    ['x)|(y', '[$1]', 'xy', '[][y]'],
    // ^(?s:)|(a*)$ matches only at the two ends.
    [')|(a*', 'X', 'baaac', 'XbaaacX'],
    // An unanchored middle alternative reproduces Go's documented
    // regexp.MustCompile(`a*`).ReplaceAllString("baaac", "X") == "XbXcX" (no empty match right after a match).
    [')|(?:a*)|(?:', 'X', 'baaac', 'XbXcX'],
  ])('%s → %s on %s = %s', (regex, template, input, expected) => {
    const re = compileAnchored(regex);
    expect(replaceAll(re, input, compileTemplate(template, re))).toBe(expected);
  });
});
