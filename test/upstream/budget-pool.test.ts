import { describe, expect, it } from 'vitest';
import { BUDGET_WINDOW_MS, BudgetPool, type BudgetState, type SavedBudget } from '../../src/upstream/index.js';

function memoryState(initial: SavedBudget[] = []): BudgetState & { saved: SavedBudget[] } {
  const state = {
    saved: initial,
    load: () => state.saved,
    save: (b: readonly SavedBudget[]) => void (state.saved = structuredClone([...b])),
  };
  return state;
}

describe('rate budgets', () => {
  let t = 1_000_000;
  const now = () => t;

  it('gives targets with the same key one budget, and each other key its own', () => {
    const pool = new BudgetPool(now);
    const prod = pool.forTarget('prod', 'k1.secret', 5);
    const prodEu = pool.forTarget('prod-eu', 'k1.secret', 5);
    const staging = pool.forTarget('staging', 'k2.secret', 5);
    expect(prodEu).toBe(prod);
    expect(staging).not.toBe(prod);
    for (let i = 0; i < 5; i++) expect(prod.tryAcquire()).toBe(true);
    expect(prodEu.tryAcquire()).toBe(false);
    expect(staging.tryAcquire()).toBe(true);
  });

  it('allows the smallest limit of the targets sharing a budget, until one leaves', () => {
    const pool = new BudgetPool(now);
    pool.forTarget('a', 'k1.secret', 5);
    const shared = pool.forTarget('b', 'k1.secret', 2);
    expect(shared.limit).toBe(2);
    pool.release('b');
    expect(shared.limit).toBe(5);
  });

  it('keeps a target on its budget when its key changes, however often', () => {
    const pool = new BudgetPool(now);
    const first = pool.forTarget('prod', 'k1.secret', 3);
    for (let i = 0; i < 3; i++) first.tryAcquire();
    for (let i = 2; i < 100; i++) expect(pool.forTarget('prod', `k${i}.secret`, 3).tryAcquire()).toBe(false);
  });

  it('joins two budgets when a target moves to a key another budget has, with both histories', () => {
    const pool = new BudgetPool(now);
    pool.forTarget('a', 'ka.secret', 4).tryAcquire();
    const b = pool.forTarget('b', 'kb.secret', 4);
    b.tryAcquire();
    b.tryAcquire();
    const joined = pool.forTarget('a', 'kb.secret', 4);
    expect(joined).toBe(b);
    expect(joined.used()).toBe(3);
    expect(pool.of('a')).toBe(pool.of('b'));
  });

  it(
    'keeps one entry per budget in the state, restores it by target name ' +
      'or key prefix, and drops a target that left',
    () => {
      const state = memoryState();
      const pool = new BudgetPool(now, state);
      for (let i = 0; i < 2; i++) pool.forTarget('prod', `abc${i}.secret`, 5).tryAcquire();
      pool.forTarget('prod-eu', 'abc1.secret', 5);
      pool.forTarget('staging', 'zzz.secret', 5).tryAcquire();
      expect(state.saved).toEqual([
        { targets: ['prod', 'prod-eu'], keys: ['abc0', 'abc1'], requests: [t, t] },
        { targets: ['staging'], keys: ['zzz'], requests: [t] },
      ]);
      const restarted = new BudgetPool(now, memoryState(state.saved));
      expect(restarted.forTarget('prod-eu', 'new.secret', 5).used()).toBe(2);
      expect(restarted.forTarget('renamed', 'zzz.secret', 5).used()).toBe(1);
      restarted.forTarget('prod', 'abc1.secret', 5);
      expect(restarted.of('prod')).toBe(restarted.of('prod-eu'));

      pool.release('staging');
      expect(state.saved.map((s) => s.targets)).toEqual([['prod', 'prod-eu'], []]);
      t += BUDGET_WINDOW_MS + 1;
      pool.forTarget('prod', 'abc1.secret', 5).tryAcquire();
      expect(state.saved).toEqual([{ targets: ['prod', 'prod-eu'], keys: ['abc0', 'abc1'], requests: [t] }]);
    },
  );
});
