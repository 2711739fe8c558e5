/**
 * The relabel runner's threads, compiled (the built worker is what bounds time and memory): a thread that
 * runs out of memory just as its time budget ends reports the error after its request was answered; that
 * late report must not end the process. The budgets are swept across the moment the heap runs out (0.4 to 1.55 times
 * it), so some land in the window whatever the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT } from '../helpers/bridge-process.js';

assertBuilt();
const { RelabelRunner } = (await import(
  `${REPO_ROOT}/dist/status/relabel-runner.js`
)) as typeof import('../../src/status/relabel-runner.js');

// 200 rules whose compiled regexes (about 0.7 MiB each) outgrow a 24 MiB heap within the first few dozen.
const rules = Array.from({ length: 200 }, (_, i) => ({
  source_labels: ['v'],
  regex: '(a?){1000}a{1000}',
  target_label: `t${i}`,
}));
const body = { series: `baseten_replicas_active{v="${'a'.repeat(1000)}"}`, rules };
const OUT_OF_MEMORY = 'relabel: the trace needed more than 24 MiB and was stopped (trace fewer series or rules)';

describe('RelabelRunner', () => {
  it(
    'answers 503 when a trace runs out of memory, and survives its late ' + 'report when the budget ended it first',
    async () => {
      const probe = new RelabelRunner({ timeBudgetMs: 60_000, heapMb: 24 });
      const start = performance.now();
      expect(await probe.run(body, { rules: [], identities: [] })).toEqual({ status: 503, error: OUT_OF_MEMORY });
      const outOfMemoryMs = performance.now() - start;
      await probe.close();

      const seen = new Set<string>();
      // From well before to well after the moment (a loaded machine moves it), so both limits end some traces.
      for (let step = 0; step < 24; step++) {
        const budget = Math.max(1, Math.round(outOfMemoryMs * (0.4 + step * 0.05)));
        const runner = new RelabelRunner({ timeBudgetMs: budget, heapMb: 24 });
        const out = await runner.run(body, { rules: [], identities: [] });
        expect(out.status).toBe(503);
        seen.add('error' in out && out.error === OUT_OF_MEMORY ? 'memory' : 'time');
        await runner.close();
      }
      // The sweep crossed the moment: both limits were seen to end a trace.
      expect([...seen].sort()).toEqual(['memory', 'time']);
    },
    60_000,
  );
});
