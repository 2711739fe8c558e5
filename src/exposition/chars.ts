/**
 * Character classes of the exposition formats, as char codes so the scanners never build a string
 * or run a regex per character. Names follow model/textparse/promlex.l:
 *   M = [a-zA-Z_:] (metric name start), L = [a-zA-Z_] (label name start), D = [0-9].
 */

export const CH_TAB = 0x09;
export const CH_LF = 0x0a;
export const CH_CR = 0x0d;
export const CH_SPACE = 0x20;
export const CH_QUOTE = 0x22;
export const CH_HASH = 0x23;
export const CH_PLUS = 0x2b;
export const CH_COMMA = 0x2c;
export const CH_MINUS = 0x2d;
export const CH_DOT = 0x2e;
export const CH_0 = 0x30;
export const CH_9 = 0x39;
export const CH_EQUALS = 0x3d;
export const CH_UPPER_E = 0x45;
export const CH_BACKSLASH = 0x5c;
export const CH_LOWER_E = 0x65;
export const CH_LOWER_N = 0x6e;
export const CH_LBRACE = 0x7b;
export const CH_RBRACE = 0x7d;

/** Blank as in both text parsers: space or tab (promlex.l `[ \t]+`, text_parse.go isBlankOrTab). */
export function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}

export function isLabelNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

export function isLabelNameChar(c: number): boolean {
  return isLabelNameStart(c) || (c >= 0x30 && c <= 0x39);
}

export function isMetricNameStart(c: number): boolean {
  return isLabelNameStart(c) || c === 0x3a;
}

export function isMetricNameChar(c: number): boolean {
  return isLabelNameChar(c) || c === 0x3a;
}

/** End of the metric name that starts at `pos` (`pos` itself when there is none). */
export function scanMetricName(text: string, pos: number, end: number): number {
  if (pos >= end || !isMetricNameStart(text.charCodeAt(pos))) return pos;
  let i = pos + 1;
  while (i < end && isMetricNameChar(text.charCodeAt(i))) i++;
  return i;
}

/** End of the label name that starts at `pos` (`pos` itself when there is none). */
export function scanLabelName(text: string, pos: number, end: number): number {
  if (pos >= end || !isLabelNameStart(text.charCodeAt(pos))) return pos;
  let i = pos + 1;
  while (i < end && isLabelNameChar(text.charCodeAt(i))) i++;
  return i;
}

/** Index of the first non-blank character at or after `pos`. */
export function skipBlanks(text: string, pos: number, end: number): number {
  while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

/** True for a syntactically valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
export function isValidMetricName(name: string): boolean {
  return name.length > 0 && scanMetricName(name, 0, name.length) === name.length;
}

/** True for a syntactically valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && scanLabelName(name, 0, name.length) === name.length;
}
