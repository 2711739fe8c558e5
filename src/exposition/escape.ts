/**
 * Escaping for written output, as expfmt/text_create.go writeEscapedString: label values escape
 * `\`, `"` and newline; text 0.0.4 HELP escapes only `\` and newline; OpenMetrics HELP escapes all
 * three (client_golang openmetrics_create.go passes includeDoubleQuote=true).
 */
import { CH_BACKSLASH, CH_LF, CH_QUOTE } from './chars.js';

function escape(value: string, quotes: boolean): string {
  let out = '';
  let chunk = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let replacement: string;
    if (c === CH_BACKSLASH) replacement = '\\\\';
    else if (c === CH_LF) replacement = '\\n';
    else if (c === CH_QUOTE && quotes) replacement = '\\"';
    else continue;
    out += value.slice(chunk, i) + replacement;
    chunk = i + 1;
  }
  // Most values need nothing: return the input rather than a copy.
  return chunk === 0 ? value : out + value.slice(chunk);
}

/** A label value for either format: `\` → `\\`, `"` → `\"`, newline → `\n`. */
export function escapeLabelValue(value: string): string {
  return escape(value, true);
}

/** A text 0.0.4 HELP string: `\` → `\\`, newline → `\n`. */
export function escapeHelpText(help: string): string {
  return escape(help, false);
}

/** An OpenMetrics HELP string: `\` → `\\`, `"` → `\"`, newline → `\n`. */
export function escapeHelpOpenMetrics(help: string): string {
  return escape(help, true);
}
