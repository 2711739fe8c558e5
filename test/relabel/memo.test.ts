/** BoundedMemo: remembers answers, forgets all when full, never remembers long keys. */
import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/relabel/memo.js';

function counting<V>(fn: (key: string) => V): { memo: (capacity: number) => BoundedMemo<V>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    memo: (capacity) =>
      new BoundedMemo((key) => {
        calls.push(key);
        return fn(key);
      }, capacity),
  };
}

describe('BoundedMemo', () => {
  it('computes each key once while it has room, null answers included', () => {
    const c = counting((key) => (key === 'none' ? null : key.length));
    const memo = c.memo(10);
    expect([memo.get('a'), memo.get('bb'), memo.get('a'), memo.get('none'), memo.get('none')]).toEqual([
      1,
      2,
      1,
      null,
      null,
    ]);
    expect(c.calls).toEqual(['a', 'bb', 'none']);
  });

  it('forgets everything when full', () => {
    const c = counting((key) => key);
    const memo = c.memo(2);
    for (const key of ['a', 'b', 'c', 'a']) memo.get(key);
    expect(c.calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('does not remember keys longer than 256 characters', () => {
    const c = counting((key) => key.length);
    const memo = c.memo(10);
    const long = 'x'.repeat(257);
    memo.get(long);
    memo.get(long);
    expect(c.calls).toHaveLength(2);
  });
});
