/**
 * RE2 through re2js, anchored as Prometheus 3 does (^(?s:REGEX)$), and the string fast paths for common
 * regex shapes, which must agree with the engine on every input.
 */
import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { anchor, compileAnchored } from '../../src/relabel/regex.js';

const INPUTS = ['', 'a', 'foo', 'bar', 'foobar', 'foo|bar', 'a\nb', '\n', 'é😀', ' foo', 'FOO', 'a.b', '.*'];

describe('RE2 constructs', () => {
  it.each([
    ['(?i)foo', 'FoO', true],
    ['(?P<name>a)b', 'ab', true],
    ['(?<name>a)b', 'ab', true],
    ['\\pL+', 'héllo', true],
    ['\\p{Greek}+', 'αβγ', true],
    ['[[:alpha:]]+', 'abc', true],
    ['[[:alpha:]]+', 'ab1', false],
    ['a.b', 'a\nb', true], // (?s): dot matches newline
    ['(?-s:a.b)', 'a\nb', false], // unless turned off inside
    ['[^x]', '\n', true],
    ['oo', 'foo', false], // anchored at both ends
    ['a$', 'a', true],
    ['\\x{1F600}', '😀', true],
  ])('%s on %j → %s', (regex, input, expected) => {
    expect(compileAnchored(regex).test(input)).toBe(expected);
  });

  it.each([
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['(?=a)a', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?<=a)b', 'invalid named capture'],
    ['(?!a)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(foo', 'missing closing ): `^(?s:(foo)$`'],
    ['x{1001}', 'invalid repeat count'],
    ['(?P<a>x)(?P<a>y)', 'duplicate capture group name'],
  ])('rejects %s', (regex, message) => {
    expect(() => compileAnchored(regex)).toThrow(message);
  });

  it('anchors by concatenation, as Prometheus does', () => {
    expect(anchor('a)|(b')).toBe('^(?s:a)|(b)$');
  });
});

describe('fast paths agree with the regex engine', () => {
  it.each(['(.*)', '.*', '(.+)', '.+', '', 'foo', 'foo|bar', 'foo|', '|', 'a b', 'é😀', 'foo-bar/baz'])(
    '%j',
    (regex) => {
      const fast = compileAnchored(regex);
      const engine = RE2JS.compile(anchor(regex));
      const slow = engine.re2();
      for (const input of INPUTS) {
        expect(fast.test(input), input).toBe(engine.test(input));
        expect(fast.firstMatch(input), input).toEqual(slow.findSubmatchIndex(input));
        expect(fast.allMatches(input), input).toEqual(slow.findAllSubmatchIndex(input, -1) ?? []);
      }
    },
  );
});
