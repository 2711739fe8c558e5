/** The one Decoder: each read's problem pinned, with its path; every problem of a value collected at once. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decoder, readYaml } from '../../src/decode/index.js';

const problemsOf = (value: unknown, read: (d: Decoder) => unknown): string[] => {
  const d = new Decoder({ f: value }, 'up');
  read(d.at('f'));
  return d.problems;
};

describe('Decoder', () => {
  it.each<[string, unknown, (d: Decoder) => unknown, string[]]>([
    ['a string', 5, (d) => d.string(), ['up.f: must be a non-empty string (got 5)']],
    ['an empty string', '', (d) => d.string('x'), ['up.f: must be a non-empty string (got "")']],
    ['a boolean', 'yes', (d) => d.boolean(false), ['up.f: must be true or false (got "yes")']],
    [
      'an integer',
      7,
      (d) => d.integer(1, 1, 6, 'at most 6'),
      ['up.f: 7 is not a whole number from 1 to 6 (at most 6)'],
    ],
    ['a ratio', 2, (d) => d.ratio(0), ['up.f: 2 is not a ratio from 0 to 1 (e.g. 0.01 for 1%)']],
    [
      'a duration',
      '1 minute',
      (d) => d.duration(0),
      ['up.f: "1 minute" is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)'],
    ],
    ['a positive duration', '0', (d) => d.positiveDuration(1, '5s'), ['up.f: must be above 0 (e.g. 5s)']],
    [
      'a byte size',
      '64 lots',
      (d) => d.bytes(1),
      ['up.f: "64 lots" is not a size (e.g. 64MiB, 512KB or a number of bytes)'],
    ],
    [
      'one of',
      'Basic',
      (d) => d.oneOf(['Api-Key', 'Bearer'], 'Api-Key'),
      ['up.f: "Basic" is not one of Api-Key, Bearer'],
    ],
    [
      'one of, named',
      'TLS9',
      (d) => d.oneOf(['TLS12', 'TLS13'], 'TLS12', 'a TLS version'),
      ['up.f: "TLS9" is not a TLS version (use one of TLS12, TLS13)'],
    ],
    [
      'a URL',
      'nope',
      (d) => d.url(undefined, { example: 'https://x/y', schemes: 'use https://', credentials: 'c' }),
      ['up.f: "nope" is not a URL (e.g. https://x/y)'],
    ],
    [
      'a URL that may hold a password',
      'https://a:b@[x',
      (d) => d.url(undefined, { example: 'https://x/y', schemes: 's', credentials: 'c' }),
      ['up.f: the value is not a URL (e.g. https://x/y)'],
    ],
    [
      'a URL scheme',
      'ftp://x/y',
      (d) => d.url(undefined, { example: 'e', schemes: 'use https://', credentials: 'c' }),
      ['up.f: scheme ftp: is not supported (use https://)'],
    ],
    [
      'URL credentials',
      'https://a:b@x/y',
      (d) => d.url(undefined, { example: 'e', schemes: 's', credentials: 'put them in a file' }),
      ['up.f: must not carry credentials (put them in a file)'],
    ],
    [
      'a file',
      'no-such-file',
      (d) => d.file('/nonexistent'),
      [`up.f: cannot read ${join('/nonexistent', 'no-such-file')} (ENOENT); check the path`],
    ],
  ])('%s', (_name, value, read, expected) => {
    expect(problemsOf(value, read)).toEqual(expected);
  });

  it('reads an unset or null value as its default, with no problem', () => {
    for (const value of [undefined, null]) {
      const d = new Decoder({ f: value }).at('f');
      expect([d.string('s'), d.boolean(true), d.duration(5), d.bytes(9), d.oneOf(['a', 'b'], 'b')]).toEqual([
        's',
        true,
        5,
        9,
        'b',
      ]);
      expect(d.problems).toEqual([]);
    }
  });

  it('reports every unknown key of a mapping, with a did-you-mean, an explanation, or the known keys', () => {
    const d = new Decoder({ intervall: 1, api_key: 'k', colour: 2 }, 'upstream');
    expect(
      d.mapping(['interval', 'url'], 'a mapping', (key) =>
        key === 'api_key' ? 'never goes in the config file' : undefined,
      ),
    ).toBe(true);
    expect(d.problems).toEqual([
      'upstream.intervall: unknown field (did you mean "interval"?)',
      'upstream.api_key: never goes in the config file',
      'upstream.colour: unknown field (known fields: interval, url)',
    ]);
  });

  it('names list items and the top level', () => {
    const root = new Decoder([1, 'x']);
    expect(root.mapping([], 'a mapping with upstream:')).toBe(false);
    root.items()[1]!.at('name').problem('missing');
    expect(root.problems).toEqual(['(top level): must be a mapping with upstream:', '[1].name: missing']);
  });
});

describe('readYaml', () => {
  it('reports every syntax error with its line and column', () => {
    const read = readYaml('a: [1\nb: {2\n');
    expect(read.problems?.length).toBeGreaterThan(1);
    for (const problem of read.problems ?? [])
      expect(problem).toMatch(/^line \d+ column \d+: YAML syntax error \(.+\)$/);
  });

  it('refuses more aliases than asked as a problem', () => {
    expect(readYaml('a: &a [1]\nb: [*a, *a, *a]\n', 2).problems).toEqual([
      expect.stringMatching(/^YAML error \(.+; use at most 2 aliases\)$/),
    ]);
    expect(readYaml('a: 1\n').value).toEqual({ a: 1 });
  });
});
