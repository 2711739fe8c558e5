/**
 * Persists the times of the last requests to Baseten in `<storage.path>/budget-<key id>.json` (one file per
 * API key, named by the key's public prefix), so a bridge that
 * crash-loops (or is restarted by a supervisor with no delay) still spends no more than the budget.
 * The file is tiny and written atomically (write, then rename).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUDGET_WINDOW_MS } from './rate-budget.js';

export interface BudgetState {
  load(nowMs: number): number[];
  save(times: readonly number[]): void;
}

export class FileBudgetState implements BudgetState {
  private readonly file: string;
  private warned = false;

  constructor(
    dir: string,
    private readonly warn: (message: string) => void,
    fileName = 'budget.json',
  ) {
    this.file = join(dir, fileName);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      this.warnOnce(`cannot create --storage.path ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  load(nowMs: number): number[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as { requests?: unknown };
      if (!Array.isArray(parsed.requests)) return [];
      return parsed.requests.filter((t): t is number => typeof t === 'number' && Number.isFinite(t) && t > nowMs - BUDGET_WINDOW_MS);
    } catch {
      this.warnOnce(`${this.file} is not valid JSON; starting with an empty request history`);
      return [];
    }
  }

  save(times: readonly number[]): void {
    const tmp = `${this.file}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ requests: times }));
      renameSync(tmp, this.file);
    } catch (err) {
      this.warnOnce(`cannot write ${this.file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); a restart loop could exceed the rate budget`);
    }
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.warn(message);
  }
}

/** No persistence: for `demo` and tests. */
export const NO_BUDGET_STATE: BudgetState = { load: () => [], save: () => undefined };

/** The state for `--storage.path`: a file in that folder, or none when the flag is empty. */
export function budgetStateAt(storagePath: string, warn: (message: string) => void, fileName?: string): BudgetState {
  return storagePath === '' ? NO_BUDGET_STATE : new FileBudgetState(storagePath, warn, fileName);
}

/**
 * One state per key in `--storage.path`. `id` is the key's public prefix (before the dot); keys without one
 * share `budget.json`, which can only make the bridge send fewer requests, never more.
 */
export function budgetStatesAt(storagePath: string, warn: (message: string) => void): (id: string) => BudgetState {
  return (id) => budgetStateAt(storagePath, warn, /^[A-Za-z0-9_-]{1,32}$/.test(id) ? `budget-${id}.json` : 'budget.json');
}
