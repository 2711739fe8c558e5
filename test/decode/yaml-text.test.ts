/**
 * readYaml's syntax errors point at the line to fix, numbered as editors number them: each case pinned with
 * its line and column (go-yaml, which Prometheus reads its files with, names the same lines).
 */
import { describe, expect, it } from 'vitest';
import { readYaml } from '../../src/decode/index.js';

describe('readYaml syntax errors', () => {
  it.each<[string, string, string[]]>([
    [
      'a key indented deeper than the one above it: the indented line, not the value before it',
      'upstream:\n  url: https://app.baseten.co/metrics\n    interval: 60s\n',
      [
        'line 3 column 5: YAML syntax error (Nested mappings are not allowed in compact mappings)',
        'line 3 column 5: YAML syntax error (Implicit keys need to be on a single line)',
      ],
    ],
    [
      'the same in a list item',
      'metric_relabel_configs:\n  - action: drop\n     regex: x\n',
      [
        'line 3 column 6: YAML syntax error (Nested mappings are not allowed in compact mappings)',
        'line 3 column 6: YAML syntax error (Implicit keys need to be on a single line)',
      ],
    ],
    [
      'after a value that goes on over two lines: the line with the colon',
      'upstream:\n  url: a\n    b\n    interval: 60s\n',
      [
        'line 4 column 5: YAML syntax error (Nested mappings are not allowed in compact mappings)',
        'line 4 column 5: YAML syntax error (Implicit keys need to be on a single line)',
      ],
    ],
    [
      'a key without its colon: its own line',
      'upstream:\n  url: x\n  interval 60s\n  timeout: 5s\n',
      ['line 3 column 3: YAML syntax error (Implicit keys need to be on a single line)'],
    ],
    [
      'a top-level key without its colon',
      'upstream\n  url: x\n',
      ['line 1 column 1: YAML syntax error (Implicit keys need to be on a single line)'],
    ],
    [
      'two colons on one line',
      'upstream: url: x\n',
      ['line 1 column 11: YAML syntax error (Nested mappings are not allowed in compact mappings)'],
    ],
    [
      'a key indented less than the others',
      'upstream:\n  url: x\n interval: 60s\n',
      ['line 3 column 1: YAML syntax error (All mapping items must start at the same column)'],
    ],
    [
      'a tab as indentation',
      'upstream:\n\turl: x\n',
      ['line 2 column 1: YAML syntax error (Tabs are not allowed as indentation)'],
    ],
    [
      'a repeated key',
      'upstream:\n  url: a\n  url: b\n',
      ['line 3 column 3: YAML syntax error (Map keys must be unique)'],
    ],
    [
      'a list never closed: the end of the last line, not a line after it',
      'slos:\n  - name: x\n    objective: [99\n',
      [
        'line 3 column 19: YAML syntax error (Flow sequence in block ' +
          'collection must be sufficiently indented and end with a ])',
      ],
    ],
    [
      'a quote never closed, with blank lines after it',
      'upstream:\n  url: "x\n  interval: 60s\n\n\n',
      ['line 3 column 16: YAML syntax error (Missing closing "quote)'],
    ],
  ])('%s', (_name, text, problems) => {
    expect(readYaml(text).problems).toEqual(problems);
  });

  it('counts lines the same with CRLF line ends', () => {
    expect(readYaml('upstream:\r\n  url: x\r\n    interval: 60s\r\n').problems?.[0]).toMatch(/^line 3 column 5: /);
  });
});
