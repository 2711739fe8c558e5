/**
 * `promtool check metrics` (Prometheus 2.42, Debian package `prometheus`) as the reference reader of
 * text 0.0.4: it parses with prometheus/common expfmt's TextParser and then lints. Exit 0 is clean,
 * 3 is lint advice only (e.g. "no help text"), 1 is a parse failure.
 */
import { spawnSync } from 'node:child_process';
import { requireBinary } from '../helpers/require-binary.js';

export const promtool = requireBinary('promtool', 'prometheus');

export interface PromtoolResult {
  status: number | null;
  output: string;
}

export function checkMetrics(binary: string, body: string): PromtoolResult {
  const result = spawnSync(binary, ['check', 'metrics'], { input: body, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Exit 0 or 3: the body parsed; lint advice does not count as a failure. */
export function promtoolAccepts(result: PromtoolResult): boolean {
  return result.status === 0 || result.status === 3;
}
