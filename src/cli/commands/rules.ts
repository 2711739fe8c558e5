/**
 * `rules --slo=FILE`: the SLO file → Prometheus recording and multi-window, multi-burn-rate alerting rules on
 * stdout (redirect them into your rules directory). Problems go to stderr, one line each, with the field path
 * and the fix; the exit code is 1 then. `rules --alerts=models|bridge`: one of the shipped alert files, with
 * the parameters the flags give (the flags were checked when parsed: it cannot fail).
 */
import { readFileSync } from 'node:fs';
import { generateAlertRules, generateSloRules, SloFileError, type AlertOptions, type AlertSet } from '../../rules/index.js';

export function alertRulesCommand(set: AlertSet, out: (text: string) => void, options: Partial<AlertOptions> = {}): number {
  out(generateAlertRules(set, options));
  return 0;
}

export interface RulesOptions {
  /** The histograms' boundaries read from Baseten (`--probe`), to check thresholds against. */
  seenBuckets?: ReadonlyMap<string, number[]>;
  /** `--runbook.base-url`. */
  runbookBaseUrl?: string;
  err?: (line: string) => void;
}

export function rulesCommand(sloFile: string, out: (text: string) => void, opts: RulesOptions = {}): number {
  const err = opts.err ?? ((line: string) => console.error(line));
  let text: string;
  try {
    text = readFileSync(sloFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    err(`baseten-bridge: slo file ${sloFile}: cannot read it (${code}); check --slo`);
    return 1;
  }
  try {
    // A threshold that is not a boundary gives a matcher no series has: said on stderr, the rules still print.
    const warn = (warning: string) => err(`baseten-bridge: slo file ${sloFile}: warning: ${warning}`);
    out(
      generateSloRules(text, sloFile, {
        ...(opts.seenBuckets ? { seenBuckets: opts.seenBuckets } : {}),
        ...(opts.runbookBaseUrl ? { runbookBaseUrl: opts.runbookBaseUrl } : {}),
        warn,
      }),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof SloFileError)) throw error;
    for (const problem of error.problems) err(`baseten-bridge: slo file ${sloFile}: ${problem}`);
    return 1;
  }
}
