/**
 * `$` templates for `replacement` and `target_label`, expanded as Go's `Regexp.Expand` (regexp/regexp.go
 * `expand` and `extract`), which Prometheus calls through `ExpandString` and `ReplaceAllString`:
 * - `$$` is a literal `$`;
 * - `$name` takes the longest run of Unicode letters, digits and `_` (so `$1x` names the group `1x`);
 * - `${name}` is delimited by braces;
 * - a name that is all ASCII digits, without a leading zero and below 1e8 is a group number; anything else
 *   (`01`, `1x`) is looked up as a group name;
 * - a missing group, an unknown name or a group that did not take part in the match expands to nothing;
 * - a `$` not followed by a well-formed name (`$`, `$-`, `${`, `${}`, `${a-b}`) is copied literally.
 * Templates are parsed once, when the rules are compiled; expanding is concatenation.
 */
import type { AnchoredRegex, MatchIndexes } from './regex.js';

/** Literal text, or the index of the group to copy (-1: a group that can never exist, so always empty). */
type Part = string | number;

export interface Template {
  /** The template itself when it holds no `$`: expansion is then the identity. */
  readonly literal: string | null;
  readonly parts: readonly Part[];
}

const NAME_RUNE = /^[\p{L}\p{Nd}_]$/u;

interface Extracted {
  readonly name: string;
  /** The group number, or -1 when the name is not a number (Go's `num`). */
  readonly num: number;
  /** Index in the template just past the name (and its closing brace). */
  readonly end: number;
}

/** Go's `extract`: the name that starts at `from` (just after the `$`), or null when malformed. */
function extract(template: string, from: number): Extracted | null {
  let i = from;
  const brace = template[i] === '{';
  if (brace) i++;
  const start = i;
  while (i < template.length) {
    const rune = String.fromCodePoint(template.codePointAt(i) as number);
    if (!NAME_RUNE.test(rune)) break;
    i += rune.length;
  }
  if (i === start) return null; // an empty name is not a name
  const name = template.slice(start, i);
  if (brace) {
    if (template[i] !== '}') return null; // missing closing brace
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 0x30 || c > 0x39 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 0x30);
  }
  if (name[0] === '0' && name.length > 1) num = -1; // leading zeros make it a name
  return { name, num, end: i };
}

/** Parses a template against the regex whose groups it refers to. */
export function compileTemplate(template: string, regex: AnchoredRegex): Template {
  if (!template.includes('$')) return { literal: template, parts: [template] };
  const parts: Part[] = [];
  let text = '';
  let i = 0;
  for (;;) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    text += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      text += '$';
      i++;
      continue;
    }
    const ref = extract(template, i);
    if (ref === null) {
      text += '$'; // malformed: the `$` is raw text and scanning resumes right after it
      continue;
    }
    i = ref.end;
    if (text !== '') parts.push(text);
    text = '';
    if (ref.num >= 0) parts.push(ref.num <= regex.groupCount ? ref.num : -1);
    else parts.push(regex.groupIndexByName.get(ref.name) ?? -1);
  }
  text += template.slice(i);
  if (text !== '') parts.push(text);
  return { literal: null, parts };
}

/** Go's `ExpandString` for one match of `input`. */
export function expand(template: Template, input: string, match: MatchIndexes): string {
  if (template.literal !== null) return template.literal;
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      out += part;
    } else if (part >= 0) {
      const start = match[2 * part] ?? -1;
      if (start >= 0) out += input.slice(start, match[2 * part + 1]);
    }
  }
  return out;
}

/**
 * Go's `ReplaceAllString`: every match replaced by the expanded template, the text between matches kept.
 * With a properly anchored regex that is the expansion of the one whole-input match.
 */
export function replaceAll(regex: AnchoredRegex, input: string, template: Template): string {
  const matches = regex.allMatches(input);
  if (matches.length === 1) {
    const only = matches[0] as MatchIndexes;
    if (only[0] === 0 && only[1] === input.length) return expand(template, input, only);
  }
  let out = '';
  let last = 0;
  for (const m of matches) {
    const start = m[0] as number;
    out += input.slice(last, start) + expand(template, input, m);
    last = m[1] as number;
  }
  return out + input.slice(last);
}
