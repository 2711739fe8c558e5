/**
 * Prometheus's scrape limits, with its semantics (scrape/scrape.go verifyLabelLimits and sample_limit):
 * counted after relabeling, `__name__` included in the label count and lengths in UTF-8 bytes. Over a limit
 * the whole cycle fails and the last good snapshot stays.
 */
import type { UpstreamConfig } from '../config/index.js';
import type { MetricFamily } from '../exposition/index.js';
import type { LimitReason } from './reasons.js';

export type ScrapeLimits = Pick<
  UpstreamConfig,
  'sampleLimit' | 'labelLimit' | 'labelNameLengthLimit' | 'labelValueLengthLimit'
>;

export interface LimitBreach {
  reason: LimitReason;
  message: string;
}

const cut = (s: string) => (s.length > 50 ? `${s.slice(0, 50)}…` : s);

export function checkLimits(
  families: readonly MetricFamily[],
  seriesCount: number,
  limits: ScrapeLimits,
): LimitBreach | undefined {
  if (limits.sampleLimit > 0 && seriesCount > limits.sampleLimit) {
    return {
      reason: 'sample_limit',
      message: `sample_limit exceeded (${seriesCount} series after relabeling, limit ${limits.sampleLimit})`,
    };
  }
  const { labelLimit, labelNameLengthLimit: nameLimit, labelValueLengthLimit: valueLimit } = limits;
  if (labelLimit === 0 && nameLimit === 0 && valueLimit === 0) return undefined;
  for (const family of families) {
    for (const sample of family.samples) {
      const count = sample.labels.length + 1;
      if (labelLimit > 0 && count > labelLimit) {
        return {
          reason: 'label_limit',
          message:
            `label_limit exceeded (metric: ${cut(sample.name)}, number of labels: ` + `${count}, limit: ${labelLimit})`,
        };
      }
      const pairs: Array<[string, string]> = [['__name__', sample.name], ...sample.labels];
      for (const [name, value] of pairs) {
        if (nameLimit > 0 && Buffer.byteLength(name) > nameLimit) {
          return {
            reason: 'label_limit',
            message:
              `label_name_length_limit exceeded (metric: ${cut(sample.name)}, label ` +
              `name: ${cut(name)}, length: ${Buffer.byteLength(name)}, limit: ${nameLimit})`,
          };
        }
        if (valueLimit > 0 && Buffer.byteLength(value) > valueLimit) {
          return {
            reason: 'label_limit',
            message:
              `label_value_length_limit exceeded (metric: ${cut(sample.name)}, label ` +
              `name: ${cut(name)}, length: ${Buffer.byteLength(value)}, limit: ${valueLimit})`,
          };
        }
      }
    }
  }
  return undefined;
}
