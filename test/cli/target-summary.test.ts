/**
 * A target is summed up alike in the start-up log line and in check-config's line: the relabel rules the user
 * wrote (a static label is applied as a rule, but counted as a label, not a rule), then the static labels.
 */
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { generateApiKey } from '../../src/demo/index.js';
import { targetLine, targetLogFields } from '../../src/cli/target-summary.js';

const config = buildConfig(
  {
    targets: [
      { name: 'prod', url: 'https://app.baseten.co/metrics', labels: { workspace: 'prod' } },
      {
        name: 'staging',
        url: 'https://app.baseten.co/metrics',
        labels: { workspace: 'staging', tier: 'test' },
        metric_relabel_configs: [{ source_labels: ['__name__'], regex: 'baseten_.*', action: 'keep' }],
      },
    ],
  },
  'test',
  '/',
);
const key = { key: generateApiKey(), source: 'BASETEN_API_KEY' };

describe('target summary', () => {
  it.each([
    ['prod', 0, '{workspace="prod"}'],
    ['staging', 1, '{workspace="staging", tier="test"}'],
  ])('%s: %d relabel rule(s) in the log line and in check-config, the static labels apart', (name, rules, labels) => {
    const target = config.targets.find((t) => t.name === name)!;
    expect(targetLogFields(target, key)).toMatchObject({ relabel_rules: rules, labels });
    expect(targetLine(target, 'key …')).toContain(`, ${rules} relabel rule(s), labels ${labels}, key …`);
  });

  it('names no labels when a target has none', () => {
    const single = buildConfig({ upstream: { url: 'https://app.baseten.co/metrics' } }, 'test', '/').targets[0]!;
    expect(targetLogFields(single, key)).not.toHaveProperty('labels');
    expect(targetLogFields(single, key)).toMatchObject({ relabel_rules: 0 });
    expect(targetLine(single, 'key …')).toBe(
      'upstream https://app.baseten.co/metrics every 1m (timeout 20s, max staleness 5m), 0 relabel rule(s), key …',
    );
  });
});
