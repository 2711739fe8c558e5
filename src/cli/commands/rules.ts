/**
 * `rules --slo=FILE`: the SLO file → Prometheus recording and multi-window, multi-burn-rate alerting rules on
 * stdout (redirect them into your rules directory). Problems go to stderr, one line each, with the field path.
 */
import { readFileSync } from 'node:fs';
import { generateSloRules, SloFileError } from '../../rules/index.js';

export function rulesCommand(sloFile: string, out: (text: string) => void): number {
  let text: string;
  try {
    text = readFileSync(sloFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    console.error(`baseten-bridge: slo file ${sloFile}: cannot read it (${code}); check --slo`);
    return 1;
  }
  try {
    out(generateSloRules(text, sloFile));
    return 0;
  } catch (err) {
    if (!(err instanceof SloFileError)) throw err;
    for (const problem of err.problems) console.error(`baseten-bridge: slo file ${sloFile}: ${problem}`);
    return 1;
  }
}
