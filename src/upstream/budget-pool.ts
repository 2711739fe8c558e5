/**
 * The rate budgets of a process. Baseten's limit is per organization, and neither a key nor a target is an
 * organization, so a budget follows both as far as the bridge can tell:
 *   - a target keeps its budget when its key changes (a rotated key is the same organization): a key file
 *     that changes every second spends the budget once, not once per key;
 *   - targets that use the same key share one budget, allowing the smallest max_requests_per_minute of them;
 *   - when a target moves to a key another budget already has, the two become one, with both histories.
 * One state file holds every budget (budget-state.ts); a target that leaves is taken out of it, and a
 * budget nobody uses is forgotten once its last request is a minute old.
 */
import { createHash } from 'node:crypto';
import { keyPublicPart } from '../log/index.js';
import { BUDGET_WINDOW_MS, RateBudget } from './rate-budget.js';
import { FileBudgetState, NO_BUDGET_STATE, type BudgetState, type SavedBudget } from './budget-state.js';
import { prepareStorage } from './budget-storage.js';

/** Keys remembered per budget: enough for any rotation, bounded under a key file that flaps. */
const MAX_KEYS = 16;

interface Shared {
  budget: RateBudget;
  /** Each sharing target's configured limit. */
  limits: Map<string, number>;
  /** SHA-256 of the keys used with it (never the keys themselves), newest last. */
  keys: string[];
  /** Their public prefixes, for the state file. */
  prefixes: string[];
  /** Targets listed with it in the state file that have not run yet, until that history expires. */
  pending: Set<string>;
  pendingUntilMs: number;
}

/** The public part of a key (log/secrets.ts), kept in the state file only when it is a plain word. */
function publicId(key: string): string {
  const id = keyPublicPart(key);
  return /^[A-Za-z0-9_-]+$/.test(id) ? id : '';
}

function pushCapped(list: string[], item: string): string | undefined {
  if (list.includes(item)) return undefined;
  list.push(item);
  return list.length > MAX_KEYS ? list.shift() : undefined;
}

export class BudgetPool {
  private readonly budgets = new Set<Shared>();
  private readonly byTarget = new Map<string, Shared>();
  private readonly byKey = new Map<string, Shared>();
  /** Entries of the state file no running target has claimed yet. */
  private restored: SavedBudget[];

  constructor(
    private readonly now: () => number,
    private readonly state: BudgetState = NO_BUDGET_STATE,
  ) {
    this.restored = state.load(now());
  }

  /** The budget `target` spends now that it uses `key`. */
  forTarget(target: string, key: string, limit: number): RateBudget {
    const hash = createHash('sha256').update(key).digest('hex');
    const keyed = this.byKey.get(hash);
    let shared = this.byTarget.get(target);
    if (!shared) shared = keyed ?? this.pendingOf(target) ?? this.restore(target, publicId(key)) ?? this.create(limit);
    else if (keyed && keyed !== shared) shared = this.merge(keyed, shared);
    this.byTarget.set(target, shared);
    shared.limits.set(target, limit);
    shared.pending.delete(target);
    const dropped = pushCapped(shared.keys, hash);
    this.byKey.set(hash, shared);
    if (dropped !== undefined && this.byKey.get(dropped) === shared) this.byKey.delete(dropped);
    pushCapped(shared.prefixes, publicId(key));
    shared.budget.setLimit(Math.min(...shared.limits.values()));
    return shared.budget;
  }

  /** The budget `target` spent last, if it ran. */
  of(target: string): RateBudget | undefined {
    return this.byTarget.get(target)?.budget;
  }

  /** A target that left the config: it no longer counts towards any limit, nor appears in the state file. */
  release(target: string): void {
    const shared = this.byTarget.get(target);
    if (!shared) return;
    this.byTarget.delete(target);
    shared.limits.delete(target);
    if (shared.limits.size > 0) shared.budget.setLimit(Math.min(...shared.limits.values()));
    // Its requests still count for anyone who comes back with one of its keys within the minute.
    this.persist();
  }

  private create(limit: number, previous: readonly number[] = []): Shared {
    const shared: Shared = {
      budget: new RateBudget(limit, this.now, previous, () => this.persist()),
      limits: new Map(),
      keys: [],
      prefixes: [],
      pending: new Set(),
      pendingUntilMs: 0,
    };
    this.budgets.add(shared);
    return shared;
  }

  private pendingOf(target: string): Shared | undefined {
    for (const shared of this.budgets) if (shared.pending.has(target)) return shared;
    return undefined;
  }

  /** The state file's budget of this target (by name, else by its key's prefix), claimed once. */
  private restore(target: string, id: string): Shared | undefined {
    let index = this.restored.findIndex((s) => s.targets.includes(target));
    if (index < 0) index = this.restored.findIndex((s) => s.keys.includes(id));
    if (index < 0) return undefined;
    const found = this.restored.splice(index, 1)[0]!;
    const shared = this.create(1, found.requests);
    for (const prefix of found.keys) pushCapped(shared.prefixes, prefix);
    for (const other of found.targets) if (other !== target) shared.pending.add(other);
    shared.pendingUntilMs = Math.max(0, ...found.requests) + BUDGET_WINDOW_MS;
    return shared;
  }

  /** `from`'s targets, keys and requests move into `into`. */
  private merge(into: Shared, from: Shared): Shared {
    into.budget.absorb(from.budget.history());
    for (const [target, limit] of from.limits) {
      into.limits.set(target, limit);
      this.byTarget.set(target, into);
    }
    for (const hash of from.keys) if (this.byKey.get(hash) === from) this.byKey.delete(hash);
    for (const prefix of from.prefixes) pushCapped(into.prefixes, prefix);
    for (const target of from.pending) into.pending.add(target);
    into.pendingUntilMs = Math.max(into.pendingUntilMs, from.pendingUntilMs);
    this.budgets.delete(from);
    return into;
  }

  private persist(): void {
    const nowMs = this.now();
    const saved: SavedBudget[] = [];
    for (const shared of this.budgets) {
      if (nowMs > shared.pendingUntilMs) shared.pending.clear();
      const requests = shared.budget.history();
      if (shared.limits.size === 0 && requests.length === 0) {
        // Nobody uses it and nothing of it counts any more.
        this.budgets.delete(shared);
        for (const hash of shared.keys) if (this.byKey.get(hash) === shared) this.byKey.delete(hash);
        continue;
      }
      if (requests.length > 0)
        saved.push({ targets: [...shared.limits.keys(), ...shared.pending], keys: [...shared.prefixes], requests });
    }
    this.restored = this.restored
      .map((s) => ({ ...s, requests: s.requests.filter((t) => t > nowMs - BUDGET_WINDOW_MS) }))
      .filter((s) => s.requests.length > 0);
    this.state.save([...saved, ...this.restored]);
  }
}

/**
 * The pool of a process: one state file in `--storage.path` (none when it is empty), checked at once so a
 * path that cannot hold it stops the start (StorageError).
 */
export function budgetPoolAt(
  storagePath: string,
  warn: (message: string) => void,
  now: () => number = Date.now,
  writeFailed?: (code: string) => void,
): BudgetPool {
  if (storagePath === '') return new BudgetPool(now);
  prepareStorage(storagePath);
  return new BudgetPool(now, new FileBudgetState(storagePath, warn, writeFailed));
}
