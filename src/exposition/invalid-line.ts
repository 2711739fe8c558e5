/**
 * How a rejected line is described: what was expected and what was found, in the spirit of the
 * parseError messages of model/textparse/promparse.go, plus a bounded excerpt of the line itself.
 * Reasons and excerpts end up in logs and on the status page, so both are kept short.
 */
import type { InvalidLine, InvalidLineKind } from './model.js';

const EXCERPT_MAX = 80;
const TOKEN_MAX = 24;

/** A fragment in backticks, with control characters made visible and long tokens cut. */
export function quoteFragment(fragment: string): string {
  const cut = fragment.length > TOKEN_MAX ? `${cutAt(fragment, TOKEN_MAX - 1)}…` : fragment;
  // NUL, tab and the like would otherwise vanish from (or corrupt) a log line.
  let shown = '';
  for (let i = 0; i < cut.length; i++) {
    const c = cut.charCodeAt(i);
    shown += c < 0x20 || c === 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : cut.charAt(i);
  }
  return `\`${shown}\``;
}

/** The character at `pos` in backticks (a whole code point), or "end of line". */
export function describeCharAt(text: string, pos: number, end: number): string {
  if (pos >= end) return 'end of line';
  const code = text.codePointAt(pos) ?? 0;
  return quoteFragment(String.fromCodePoint(code));
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const isHighSurrogate = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, isHighSurrogate ? max - 1 : max);
}

/** At most 80 characters of the line; a cut line ends in `…`. */
export function excerptOf(line: string): string {
  return line.length > EXCERPT_MAX ? `${cutAt(line, EXCERPT_MAX - 1)}…` : line;
}

export function invalidLine(line: number, kind: InvalidLineKind, reason: string, text: string): InvalidLine {
  return { line, kind, reason, excerpt: excerptOf(text) };
}
