/**
 * Rate budgets by API key. Baseten's limit is per organization, and a key belongs to one organization, so
 * targets that fetch with the same key spend one budget; a shared budget allows the smallest
 * max_requests_per_minute of the targets that use it.
 */
import { RateBudget } from './rate-budget.js';
import { budgetStatesAt, type BudgetState } from './budget-state.js';

interface Shared {
  budget: RateBudget;
  /** Each sharing target's configured limit. */
  limits: Map<string, number>;
}

export class BudgetPool {
  private readonly byKey = new Map<string, Shared>();

  constructor(
    private readonly now: () => number,
    /** Where a budget's request times survive a restart; `id` names the key without revealing it. */
    private readonly stateFor: (id: string) => BudgetState,
  ) {}

  /** The budget of `key` as `target` uses it (created on first use, restored from its state). */
  forKey(key: string, id: string, target: string, limit: number): RateBudget {
    let shared = this.byKey.get(key);
    if (!shared) {
      const state = this.stateFor(id);
      const budget = new RateBudget(limit, this.now, state.load(this.now()), (times) => state.save(times));
      shared = { budget, limits: new Map() };
      this.byKey.set(key, shared);
    }
    // A target moves to another key on rotation: its limit no longer counts for the old one.
    for (const [other, s] of this.byKey) if (other !== key) this.leave(s, target);
    shared.limits.set(target, limit);
    shared.budget.setLimit(Math.min(...shared.limits.values()));
    return shared.budget;
  }

  /** A target that left the config no longer counts towards any shared limit. */
  release(target: string): void {
    for (const shared of this.byKey.values()) this.leave(shared, target);
  }

  private leave(shared: Shared, target: string): void {
    if (!shared.limits.delete(target) || shared.limits.size === 0) return;
    shared.budget.setLimit(Math.min(...shared.limits.values()));
  }
}

/** The pool of a process: one state file per key in `--storage.path` (none when it is empty). */
export function budgetPoolAt(storagePath: string, warn: (message: string) => void, now: () => number = Date.now): BudgetPool {
  return new BudgetPool(now, budgetStatesAt(storagePath, warn));
}
