/** The working label set: Go byte order for names, and labels.Builder's Range order. */
import { describe, expect, it } from 'vitest';
import { compareNames, isValidLabelName, LabelState } from '../../src/relabel/label-set.js';

describe('compareNames', () => {
  const names = ['a', 'b', 'B', '_', 'ab', 'a\u{E000}', 'a\u{10000}', '\u{FFFF}', '\u{1F600}', 'é', ''];
  it('orders as UTF-8 bytes (Go strings.Compare)', () => {
    const utf8 = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...names].sort(compareNames)).toEqual(utf8);
  });
});

describe('isValidLabelName (UTF-8 validation)', () => {
  it.each([
    ['foo', true],
    ['utf-8.label', true],
    ['0', true],
    ['${1}', true],
    ['', false],
    ['a\uD800', false],
    ['😀', true],
  ])('%j → %s', (name, valid) => {
    expect(isValidLabelName(name)).toBe(valid);
  });
});

describe('LabelState', () => {
  const input = new Map([
    ['c', '3'],
    ['a', '1'],
    ['b', '2'],
  ]);

  it('visits untouched labels in name order, then set labels in the order first set', () => {
    const state = new LabelState(input, true);
    state.set('z', '26');
    state.set('a', '10'); // an input label set again moves after the untouched ones
    state.set('z', '27'); // setting again keeps its place
    expect([...state.map]).toEqual([
      ['b', '2'],
      ['c', '3'],
      ['z', '27'],
      ['a', '10'],
    ]);
  });

  it('treats an empty value as a delete, and a deleted-then-set label as newly set', () => {
    const state = new LabelState(input, true);
    state.set('b', '');
    expect(state.get('b')).toBe('');
    expect(state.map.has('b')).toBe(false);
    state.set('b', 'again');
    expect([...state.map].map(([n]) => n)).toEqual(['a', 'c', 'b']);
  });

  it('treats empty input values as absent, as the Builder does', () => {
    for (const tracked of [false, true]) {
      const state = new LabelState(
        new Map([
          ['b', ''],
          ['a', '1'],
        ]),
        tracked,
      );
      expect([...state.map]).toEqual([['a', '1']]);
    }
  });

  it('does not touch its input', () => {
    const state = new LabelState(input, false);
    state.set('a', 'x');
    state.delete('b');
    expect(input).toEqual(
      new Map([
        ['c', '3'],
        ['a', '1'],
        ['b', '2'],
      ]),
    );
  });
});
