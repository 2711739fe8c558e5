import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../src/upstream/index.js';

describe('RateBudget', () => {
  it('allows the limit per rolling minute and frees a slot 60 s after it was taken', () => {
    let now = 0;
    const budget = new RateBudget(5, () => now);
    for (let i = 0; i < 5; i++) {
      expect(budget.tryAcquire()).toBe(true);
      now += 1_000;
    }
    expect(budget.tryAcquire()).toBe(false);
    expect(budget.used()).toBe(5);
    expect(budget.left()).toBe(0);
    expect(budget.nextFreeAt()).toBe(60_000);
    now = 59_999;
    expect(budget.tryAcquire()).toBe(false);
    now = 60_000;
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.used()).toBe(5);
  });

  it('counts requests from before a restart', () => {
    let now = 100_000;
    const saved: number[][] = [];
    const budget = new RateBudget(
      2,
      () => now,
      [50_000, 90_000, 10_000],
      (t) => saved.push([...t]),
    );
    expect(budget.used()).toBe(2);
    expect(budget.tryAcquire()).toBe(false);
    now = 110_001;
    expect(budget.tryAcquire()).toBe(true);
    expect(saved.at(-1)).toEqual([90_000, 110_001]);
  });

  it('follows a lower limit after a reload at once', () => {
    const now = 0;
    const budget = new RateBudget(6, () => now);
    budget.tryAcquire();
    budget.tryAcquire();
    budget.setLimit(2);
    expect(budget.tryAcquire()).toBe(false);
  });

  it('is not blocked forever by times from the future', () => {
    let now = 0;
    const budget = new RateBudget(1, () => now, [10_000_000]);
    expect(budget.tryAcquire()).toBe(false);
    now = 60_000;
    expect(budget.tryAcquire()).toBe(true);
  });
});
