import { describe, expect, it } from 'vitest';
import { BudgetPool, NO_BUDGET_STATE, type BudgetState } from '../../src/upstream/index.js';

describe('rate budgets by key', () => {
  const now = () => 1_000_000;

  it('gives targets with the same key one budget, and each other key its own', () => {
    const pool = new BudgetPool(now, () => NO_BUDGET_STATE);
    const prod = pool.forKey('k1.secret', 'k1', 'prod', 5);
    const prodEu = pool.forKey('k1.secret', 'k1', 'prod-eu', 5);
    const staging = pool.forKey('k2.secret', 'k2', 'staging', 5);
    expect(prodEu).toBe(prod);
    expect(staging).not.toBe(prod);
    for (let i = 0; i < 5; i++) expect(prod.tryAcquire()).toBe(true);
    expect(prodEu.tryAcquire()).toBe(false);
    expect(staging.tryAcquire()).toBe(true);
  });

  it('allows the smallest limit of the targets sharing a budget, until one leaves', () => {
    const pool = new BudgetPool(now, () => NO_BUDGET_STATE);
    pool.forKey('k1.secret', 'k1', 'a', 5);
    const shared = pool.forKey('k1.secret', 'k1', 'b', 2);
    expect(shared.limit).toBe(2);
    pool.release('b');
    expect(shared.limit).toBe(5);
  });

  it('restores request times per key id from the state', () => {
    const saved = new Map<string, number[]>([['k1', [now() - 1000, now() - 500]]]);
    const stateFor = (id: string): BudgetState => ({ load: () => saved.get(id) ?? [], save: (t) => void saved.set(id, [...t]) });
    const pool = new BudgetPool(now, stateFor);
    expect(pool.forKey('k1.secret', 'k1', 'a', 5).used()).toBe(2);
    expect(pool.forKey('k2.secret', 'k2', 'b', 5).used()).toBe(0);
  });
});
