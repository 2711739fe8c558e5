import { describe, expect, it } from 'vitest';
import { escapeHelpOpenMetrics, escapeHelpText, escapeLabelValue } from '../../src/exposition/escape.js';

describe('escaping', () => {
  it.each<[string, string, string, string]>([
    // input, label value, text HELP, OpenMetrics HELP
    ['plain', 'plain', 'plain', 'plain'],
    ['a\\b', 'a\\\\b', 'a\\\\b', 'a\\\\b'],
    ['say "hi"', 'say \\"hi\\"', 'say "hi"', 'say \\"hi\\"'],
    ['two\nlines', 'two\\nlines', 'two\\nlines', 'two\\nlines'],
    ['模型 ü\t\u0000', '模型 ü\t\u0000', '模型 ü\t\u0000', '模型 ü\t\u0000'],
    ['\\"\n', '\\\\\\"\\n', '\\\\"\\n', '\\\\\\"\\n'],
    ['', '', '', ''],
  ])('%j', (input, labelValue, textHelp, omHelp) => {
    expect(escapeLabelValue(input)).toBe(labelValue);
    expect(escapeHelpText(input)).toBe(textHelp);
    expect(escapeHelpOpenMetrics(input)).toBe(omHelp);
  });
});
