/**
 * Differential test: every data-file case run by one real Prometheus 2.42 (the Debian package), compared with
 * our engine. Prometheus 2.42 predates some of the 3.x semantics we implement; the cases that exercise them are
 * listed BY NAME below, with the reason, and the test asserts that they really are rejected or really do
 * differ — so the lists cannot rot. Every other case must match exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRelabelConfigs, relabel } from '../../src/relabel/index.js';
import { requireBinary } from '../helpers/require-binary.js';
import { loadCases, sortedObject, type RelabelCase } from './case-files.js';
import {
  api,
  checkConfig,
  freePort,
  pollUntil,
  prometheusConfig,
  seriesByCase,
  serveCases,
  startPrometheus,
  tempDir,
  writeConfig,
  type RunningPrometheus,
  type Series,
  type VectorSample,
} from './prometheus-harness.js';
import { atLeast } from '../helpers/cases.js';

/** Cases whose rules Prometheus 2.42 refuses to load, with the text its error must contain. */
const REJECTED_BY_2_42: Record<string, string> = {
  // Legacy label-name validation ([a-zA-Z_][a-zA-Z0-9_]*); Prometheus 3 validates names as UTF-8.
  'upstream-29-utf8-source-label': '"utf-8.label" is not a valid label name',
  'upstream-30-utf8-target-label': `"utf-8.label" is invalid 'target_label' for replace action`,
  'upstream-31-utf8-target-label-with-variable': `"utf-8.label\${1}" is invalid 'target_label' for replace action`,
  // (?<name>...) groups arrived with Go 1.22; Debian's 2.42 is built with Go 1.19.
  'upstream-32-target-label-variable-styles': 'invalid or unsupported Perl syntax: `(?<`',
};

/** Cases Prometheus 2.42 loads and runs, but with a result that differs from Prometheus 3's. */
const DIFFERS_IN_2_42: Record<string, string> = {
  // Prometheus 3 anchors as ^(?s:REGEX)$; 2.42 used ^(?:REGEX)$, where "." does not match a newline.
  'upstream-28-dot-matches-newline': 'dot does not match newline',
  'regex-dot-matches-newline-keep': 'dot does not match newline',
  'regex-dot-matches-newline-capture': 'dot does not match newline',
  // 2.42 checks expanded target names with legacy validation and skips foo-bar.baz.
  'replace-utf8-target-from-expansion': 'legacy label-name validation',
  // On an empty replacement 2.42 deleted the label named by the unexpanded target_label ("$1"), not the expansion
  // ("f").
  'upstream-11-replace-blank-replacement-deletes': 'deletes the unexpanded target',
  // 2.42 rebuilt a sorted label set before every rule; Prometheus 3 keeps one labels.Builder across the rules,
  // whose Range visits labels set by earlier rules after the untouched ones, so those win labelmap collisions.
  'labelmap-collision-set-labels-come-last': 'labelmap order is re-sorted per rule',
  'labelmap-collision-reset-label-moves-last': 'labelmap order is re-sorted per rule',
};

const prometheus = requireBinary('prometheus', 'prometheus');
const promtool = requireBinary('promtool', 'prometheus');

const cases = loadCases();
const byName = new Map(cases.map((c) => [c.name, c]));
const scraped = cases.filter((c) => !(c.name in REJECTED_BY_2_42));
const matching = atLeast(
  88,
  scraped.filter((c) => !(c.name in DIFFERS_IN_2_42)),
  'relabel cases Prometheus 2.42 agrees with',
);
const engine = (c: RelabelCase): Record<string, string> | null =>
  sortedObject(relabel(c.input, compileRelabelConfigs(c.rules)));

describe.skipIf(!prometheus || !promtool)('relabel vs Prometheus 2.42', () => {
  let results = new Map<string, Series[]>();
  let running: RunningPrometheus | undefined;
  let stopTargets: (() => Promise<void>) | undefined;
  const temp = tempDir();
  const started = Date.now();

  /** What Prometheus stored for a case: its one series, or null when it dropped the series. */
  const stored = (name: string): Record<string, string> | null => {
    const series = results.get(name) ?? [];
    expect(series.length, `${name}: at most one series`).toBeLessThanOrEqual(1);
    return series[0] === undefined ? null : sortedObject(new Map(Object.entries(series[0])));
  };

  beforeAll(async () => {
    for (const name of [...Object.keys(REJECTED_BY_2_42), ...Object.keys(DIFFERS_IN_2_42)]) {
      if (!byName.has(name)) throw new Error(`expected-difference list names an unknown case: ${name}`);
    }
    const { server, port: targetPort } = await serveCases(scraped);
    stopTargets = () => new Promise((resolve) => server.close(() => resolve()));
    const configFile = writeConfig(temp.dir, 'prometheus.yml', prometheusConfig(scraped, targetPort));
    const check = await checkConfig(promtool as string, configFile);
    if (!check.ok) throw new Error(`Prometheus 2.42 rejects the differential config:\n${check.output}`);
    running = startPrometheus(prometheus as string, configFile, `${temp.dir}/data`, await freePort());
    const prom = running;
    // Every job has reported `up` once its first scrape is committed, together with the scraped samples.
    const up = await pollUntil(
      30_000,
      async () => {
        const samples = await api<{ result: VectorSample[] }>(prom.url, '/api/v1/query?query=up');
        return samples.result.length === scraped.length ? samples.result : undefined;
      },
      () => `not every job was scraped; Prometheus log:\n${prom.log()}`,
    );
    const failed = up.filter((s) => s.value[1] !== '1').map((s) => s.metric.job);
    if (failed.length > 0) throw new Error(`scrapes failed for ${failed.join(', ')}; Prometheus log:\n${prom.log()}`);
    const series = await api<Series[]>(
      prom.url,
      `/api/v1/series?match[]=${encodeURIComponent('{difftest_case=~".+"}')}`,
    );
    results = seriesByCase(series);
  });

  afterAll(async () => {
    await running?.stop();
    await stopTargets?.();
    temp.remove();
    process.stderr.write(`relabel differential: ${scraped.length} cases scraped, ${Date.now() - started} ms\n`);
  });

  it.each(matching)('$name: same result as Prometheus 2.42', (c) => {
    expect(stored(c.name)).toEqual(engine(c));
  });

  it.each(Object.entries(DIFFERS_IN_2_42))('%s: differs in 2.42 (%s)', (name) => {
    expect(stored(name)).not.toEqual(engine(byName.get(name) as RelabelCase));
  });

  it.each(Object.entries(REJECTED_BY_2_42))('%s: rejected by 2.42 (%s)', async (name, reason) => {
    const file = writeConfig(temp.dir, `${name}.yml`, prometheusConfig([byName.get(name) as RelabelCase], 9));
    const check = await checkConfig(promtool as string, file);
    expect(check.ok).toBe(false);
    expect(check.output).toContain(reason);
  });
});
