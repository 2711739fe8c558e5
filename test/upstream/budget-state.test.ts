import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileBudgetState } from '../../src/upstream/index.js';

const NOW = 1_700_000_000_000;

describe('the budget state file', () => {
  it(
    'reads the per-key files of earlier versions as budgets known by ' +
      'prefix, and removes them after the first write',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'budget-state-'));
      writeFileSync(join(dir, 'budget-abcdefgh.json'), JSON.stringify({ requests: [NOW - 1000, NOW - 120_000] }));
      writeFileSync(join(dir, 'budget.json'), 'not json');
      const state = new FileBudgetState(dir, () => undefined);
      // The unreadable one is only removed.
      expect(state.load(NOW)).toEqual([{ targets: [], keys: ['abcdefgh'], requests: [NOW - 1000] }]);
      state.save([{ targets: ['default'], keys: ['abcdefgh'], requests: [NOW - 1000] }]);
      expect(readdirSync(dir)).toEqual(['budgets.json']);
      expect(JSON.parse(readFileSync(join(dir, 'budgets.json'), 'utf8'))).toEqual({
        version: 1,
        budgets: [{ targets: ['default'], keys: ['abcdefgh'], requests: [NOW - 1000] }],
      });
    },
  );

  it('counts every failed write and warns once, and keeps the previous file whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-state-'));
    const warnings: string[] = [];
    const failures: string[] = [];
    const state = new FileBudgetState(
      dir,
      (m) => warnings.push(m),
      (code) => failures.push(code),
    );
    state.save([{ targets: ['a'], keys: ['k'], requests: [NOW] }]);
    // The temporary file's name taken by a folder: the write fails as a full or read-only disk would.
    mkdirSync(join(dir, 'budgets.json.tmp'));
    state.save([{ targets: ['a'], keys: ['k'], requests: [NOW, NOW + 1] }]);
    state.save([{ targets: ['a'], keys: ['k'], requests: [NOW, NOW + 2] }]);
    expect(failures).toEqual(['EISDIR', 'EISDIR']);
    expect(warnings).toEqual([
      `cannot write ${join(dir, 'budgets.json')} (EISDIR); a restart loop could exceed the rate budget`,
    ]);
    expect(state.load(NOW)).toEqual([{ targets: ['a'], keys: ['k'], requests: [NOW] }]);
  });
});
