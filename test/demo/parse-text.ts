/**
 * A strict reader of the Prometheus text format 0.0.4 for the simulator's tests. Independent of
 * src/exposition on purpose: the simulator is checked against the specification, not against the
 * parser it will later be used to test. Throws on anything it does not understand.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

function unescape(value: string, allowQuote: boolean): string {
  return value.replace(/\\(.)/g, (whole, ch: string) => {
    if (ch === '\\') return '\\';
    if (ch === 'n') return '\n';
    if (ch === '"' && allowQuote) return '"';
    throw new Error(`invalid escape ${whole}`);
  });
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad labels in: ${line}`);
    const [, name = '', raw = ''] = match;
    if (name in labels) throw new Error(`duplicate label ${name} in: ${line}`);
    labels[name] = unescape(raw, true);
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value in: ${line}`);
  return value;
}

/** Parses one sample line (`name{labels} value`); throws on anything else. */
export function parseSampleLine(line: string): ParsedSample {
  const match = SAMPLE.exec(line);
  if (!match) throw new Error(`bad line: ${line}`);
  const [, name = '', labelText = '', valueText = ''] = match;
  return { name, labels: parseLabels(labelText, line), value: parseValue(valueText, line) };
}

/** The family a sample belongs to: histogram suffixes fold into their family. */
function familyOf(name: string, families: Map<string, ParsedFamily>): ParsedFamily | undefined {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const family = families.get(name.slice(0, -suffix.length));
      if (family?.type === 'histogram') return family;
    }
  }
  return families.get(name);
}

export function parseText(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  if (text !== '' && !text.endsWith('\n')) throw new Error('body does not end with a newline');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (kind === 'HELP') family.help = unescape(rest, false);
      else family.type = rest;
      families.set(name, family);
      continue;
    }
    const sample = parseSampleLine(line);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`sample without HELP/TYPE: ${line}`);
    family.samples.push(sample);
  }
  return families;
}

/** A stable key for a series: its name and sorted labels. */
export function seriesKey(sample: ParsedSample): string {
  const labels = Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return `${sample.name}${JSON.stringify(labels)}`;
}
