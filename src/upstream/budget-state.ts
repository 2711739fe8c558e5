/**
 * Persists the rate budgets' request times in one file, `<storage.path>/budgets.json`, so a bridge that
 * crash-loops (or is restarted by a supervisor with no delay) still spends no more than the budget. One
 * entry per budget: the targets that spend it, the public prefixes of the keys they used (to find it again
 * when a target was renamed), and the request times of the last minute. The file is rewritten whole and
 * atomically (write a temporary file, fsync, rename), so a kill at any moment leaves the old or the new
 * content, never a torn one. Versions before this file kept `budget-<key prefix>.json` per key: those are
 * read once as budgets known by their prefix, and removed after the first good write.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BUDGET_WINDOW_MS } from './rate-budget.js';

export interface SavedBudget {
  targets: string[];
  /** Public key prefixes (before the dot); `''` for keys without one. */
  keys: string[];
  requests: number[];
}

export interface BudgetState {
  load(nowMs: number): SavedBudget[];
  save(budgets: readonly SavedBudget[]): void;
}

export const STATE_FILE = 'budgets.json';
const LEGACY_FILE = /^budget(?:-([A-Za-z0-9_-]{1,32}))?\.json$/;

function recent(times: unknown, nowMs: number): number[] {
  if (!Array.isArray(times)) return [];
  return times.filter((t): t is number => typeof t === 'number' && Number.isFinite(t) && t > nowMs - BUDGET_WINDOW_MS);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export class FileBudgetState implements BudgetState {
  private readonly file: string;
  private legacy: string[] = [];
  private warnedRead = false;
  private warnedWrite = false;

  constructor(
    private readonly dir: string,
    private readonly warn: (message: string) => void,
    /** Every failed write (ENOSPC, EROFS, EACCES): counted by baseten_bridge_state_write_failures_total. */
    private readonly writeFailed: (code: string) => void = () => undefined,
  ) {
    this.file = join(dir, STATE_FILE);
  }

  load(nowMs: number): SavedBudget[] {
    const budgets: SavedBudget[] = [];
    const text = this.read(this.file);
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text) as { budgets?: unknown };
        for (const b of Array.isArray(parsed.budgets) ? (parsed.budgets as Array<Record<string, unknown>>) : []) {
          budgets.push({ targets: strings(b?.targets), keys: strings(b?.keys), requests: recent(b?.requests, nowMs) });
        }
      } catch {
        this.warnReadOnce(`${this.file} is not valid JSON; starting with an empty request history`);
      }
    }
    for (const name of this.legacyFiles()) {
      try {
        const parsed = JSON.parse(this.read(join(this.dir, name)) ?? '') as { requests?: unknown };
        budgets.push({
          targets: [],
          keys: [LEGACY_FILE.exec(name)![1] ?? ''],
          requests: recent(parsed.requests, nowMs),
        });
      } catch {
        // An unreadable old file is only removed.
      }
      this.legacy.push(name);
    }
    return budgets;
  }

  save(budgets: readonly SavedBudget[]): void {
    const tmp = `${this.file}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify({ version: 1, budgets }));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      this.writeFailed(code);
      if (!this.warnedWrite)
        this.warn(`cannot write ${this.file} (${code}); a restart loop could exceed the rate budget`);
      this.warnedWrite = true;
      return;
    }
    this.warnedWrite = false;
    for (const name of this.legacy.splice(0)) {
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // Already gone.
      }
    }
  }

  private read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  private legacyFiles(): string[] {
    try {
      return readdirSync(this.dir).filter((n) => LEGACY_FILE.test(n));
    } catch {
      return [];
    }
  }

  private warnReadOnce(message: string): void {
    if (this.warnedRead) return;
    this.warnedRead = true;
    this.warn(message);
  }
}

/** No persistence: for `demo` and tests. */
export const NO_BUDGET_STATE: BudgetState = { load: () => [], save: () => undefined };
