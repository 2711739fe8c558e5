/**
 * `rules --slo=FILE`: the SLO file → Prometheus recording and multi-window, multi-burn-rate alerting rules on
 * stdout (redirect them into your rules directory). Problems go to stderr, one line each, with the field path
 * and the fix; the exit code is 1 then.
 */
import { readFileSync } from 'node:fs';
import { generateSloRules, SloFileError } from '../../rules/index.js';

export function rulesCommand(sloFile: string, out: (text: string) => void, err: (line: string) => void = (line) => console.error(line)): number {
  let text: string;
  try {
    text = readFileSync(sloFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    err(`baseten-bridge: slo file ${sloFile}: cannot read it (${code}); check --slo`);
    return 1;
  }
  try {
    out(generateSloRules(text, sloFile));
    return 0;
  } catch (error) {
    if (!(error instanceof SloFileError)) throw error;
    for (const problem of error.problems) err(`baseten-bridge: slo file ${sloFile}: ${problem}`);
    return 1;
  }
}
