import { describe, expect, it } from 'vitest';
import { updatingGoldens } from './golden.js';

describe('UPDATE_GOLDEN', () => {
  it.each([
    [{}, false],
    [{ UPDATE_GOLDEN: '1' }, true],
    [{ CI: 'true' }, false],
  ] as const)('%j → rewrite %s', (env, expected) => {
    expect(updatingGoldens(env)).toBe(expected);
  });

  it('refuses under CI: a golden rewritten by the run that checks it cannot fail', () => {
    expect(() => updatingGoldens({ UPDATE_GOLDEN: '1', CI: 'true' })).toThrow('UPDATE_GOLDEN is set under CI');
  });
});
