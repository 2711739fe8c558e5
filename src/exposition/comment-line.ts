/**
 * Reads a line that starts with `#`: HELP, TYPE, UNIT (OpenMetrics), `# EOF` (OpenMetrics), or a
 * comment to ignore.
 *
 * Text 0.0.4 follows model/textparse/promlex.l: `#` then blanks then `HELP`/`TYPE` then blanks make
 * metadata; anything else (`#HELP x`, `# HELP` alone, `# UNIT x s`) is a plain comment. OpenMetrics
 * follows openmetricslex.l (single spaces, `# EOF` exactly), except that other comments are ignored
 * where Prometheus would fail the whole scrape: the bridge keeps every line it can read.
 */
import { describeCharAt, quoteFragment } from './invalid-line.js';
import { CH_BACKSLASH, CH_LOWER_N, CH_QUOTE, CH_SPACE, isBlank, scanMetricName, skipBlanks } from './chars.js';
import type { MetricType } from './model.js';

export type CommentLine =
  | { kind: 'help'; name: string; help: string }
  | { kind: 'type'; name: string; type: MetricType }
  | { kind: 'unit'; name: string; unit: string }
  | { kind: 'eof' }
  | { kind: 'comment' }
  | { kind: 'invalid'; reason: string };

type Keyword = 'HELP' | 'TYPE' | 'UNIT';

const COMMENT: CommentLine = { kind: 'comment' };
const EOF: CommentLine = { kind: 'eof' };

const TEXT_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OPENMETRICS_TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
]);

/** Reads `text[start, end)`, where `text[start]` is `#`. */
export function readCommentLine(text: string, start: number, end: number, om: boolean): CommentLine {
  if (om) {
    if (end - start === 5 && text.startsWith('# EOF', start)) return EOF;
    if (text.charCodeAt(start + 1) !== CH_SPACE) return COMMENT;
    const keyword = keywordAt(text, start + 2, end);
    if (keyword === undefined || start + 6 >= end || text.charCodeAt(start + 6) !== CH_SPACE) return COMMENT;
    return readMetadata(keyword, text, start + 7, end, om);
  }
  const afterHash = skipBlanks(text, start + 1, end);
  if (afterHash === start + 1) return COMMENT;
  const keyword = keywordAt(text, afterHash, end);
  if (keyword === undefined || keyword === 'UNIT' || afterHash + 4 >= end || !isBlank(text.charCodeAt(afterHash + 4))) {
    return COMMENT;
  }
  return readMetadata(keyword, text, skipBlanks(text, afterHash + 4, end), end, om);
}

function keywordAt(text: string, pos: number, end: number): Keyword | undefined {
  if (pos + 4 > end) return undefined;
  const word = text.slice(pos, pos + 4);
  return word === 'HELP' || word === 'TYPE' || word === 'UNIT' ? word : undefined;
}

/** `name[ text]` after the keyword; `pos` is at the start of the name. */
function readMetadata(keyword: Keyword, text: string, pos: number, end: number, om: boolean): CommentLine {
  const nameEnd = scanMetricName(text, pos, end);
  if (nameEnd === pos) return invalid(`expected metric name after ${keyword}, found ${describeCharAt(text, pos, end)}`);
  const name = text.slice(pos, nameEnd);
  let restStart = nameEnd;
  if (nameEnd < end) {
    const c = text.charCodeAt(nameEnd);
    if (om ? c !== CH_SPACE : !isBlank(c)) {
      const expected = om ? '` `' : 'whitespace';
      return invalid(`expected ${expected} after metric name, found ${describeCharAt(text, nameEnd, end)}`);
    }
    // Text skips every blank before the HELP text, as expfmt/text_parse.go does; OpenMetrics one space.
    restStart = om ? nameEnd + 1 : skipBlanks(text, nameEnd, end);
  }
  const rest = text.slice(restStart, end);
  switch (keyword) {
    case 'HELP':
      return { kind: 'help', name, help: unescapeHelp(rest, om) };
    case 'TYPE': {
      if (rest === '') return invalid('expected metric type after TYPE, found end of line');
      if (!(om ? OPENMETRICS_TYPES : TEXT_TYPES).has(rest))
        return invalid(`invalid metric type ${quoteFragment(rest)}`);
      return { kind: 'type', name, type: rest as MetricType };
    }
    case 'UNIT':
      // As openmetricsparse.go: a unit must be the name's last `_`-separated part.
      if (rest !== '' && !name.endsWith(`_${rest}`)) {
        return invalid(`unit ${quoteFragment(rest)} is not a suffix of metric ${quoteFragment(name)}`);
      }
      return { kind: 'unit', name, unit: rest };
    default: {
      const unreachable: never = keyword;
      return invalid(`unknown keyword ${String(unreachable)}`);
    }
  }
}

/**
 * HELP escapes. Text resolves `\\` and `\n` (promparse.go helpReplacer); OpenMetrics also `\"`
 * (openmetricsparse.go uses the label value replacer). Any other backslash is kept as written,
 * as strings.Replacer leaves unmatched input alone.
 */
function unescapeHelp(raw: string, om: boolean): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  let chunk = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw.charCodeAt(i) !== CH_BACKSLASH) continue;
    const next = raw.charCodeAt(i + 1);
    if (next !== CH_BACKSLASH && next !== CH_LOWER_N && !(om && next === CH_QUOTE)) continue;
    out += raw.slice(chunk, i) + (next === CH_LOWER_N ? '\n' : raw.charAt(i + 1));
    i++;
    chunk = i + 1;
  }
  return out + raw.slice(chunk);
}

function invalid(reason: string): CommentLine {
  return { kind: 'invalid', reason };
}
