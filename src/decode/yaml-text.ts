/**
 * The one YAML-syntax reporter: a text → its value, or every syntax error with its line and column (the
 * config file, the web config, the SLO file and the relabel debugger's rules all read YAML through it).
 */
import { parseDocument, type YAMLError } from 'yaml';

export type YamlRead = { value: unknown; problems?: undefined } | { value?: undefined; problems: string[] };

/**
 * `maxAliasCount` bounds what aliases may build (the "billion laughs"); past it the text is refused as a
 * problem, not thrown as a bug.
 */
export function readYaml(text: string, maxAliasCount?: number): YamlRead {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const offsets = errorOffsets(text, doc.errors);
    return {
      problems: doc.errors.map((e, i) => {
        const { line, column } = lineAndColumn(text, offsets[i]!);
        const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return `line ${line} column ${column}: YAML syntax error (${message})`;
      }),
    };
  }
  if (maxAliasCount === undefined) return { value: doc.toJS() };
  try {
    return { value: doc.toJS({ maxAliasCount }) };
  } catch (err) {
    // The yaml package refuses excessive aliases with a ReferenceError.
    return {
      problems: [`YAML error (${(err as Error).message.split('\n')[0]}; use at most ${maxAliasCount} aliases)`],
    };
  }
}

/**
 * Where each error is shown. The yaml package reports the start of the node it could not read, which is one
 * line early for the commonest mistake, a line indented deeper than the key above it:
 *
 *     url: x
 *       interval: 60s      ← the line to fix
 *
 * makes `x interval` one multi-line implicit key (MULTILINE_IMPLICIT_KEY, and BLOCK_AS_IMPLICIT_KEY at the same
 * start), reported at `x`. When such a key began as a value (after `key: ` or `- ` on its line), the error is
 * shown at the line holding its `:`, where go-yaml (so Prometheus and promtool) reports it too; a key that
 * begins its line stays where it is (`interval 60s` missing its colon). An error at the end of the text is
 * shown at the end of the last line, not on a line after it.
 */
function errorOffsets(text: string, errors: readonly YAMLError[]): number[] {
  // A multi-line implicit key's error range ends at its `:`.
  const colonOf = new Map(errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => [e.pos[0], e.pos[1]]));
  const end = text.trimEnd().length;
  return errors.map((e) => {
    const start = e.pos[0];
    const colon = colonOf.get(start);
    if (colon !== undefined && text.slice(lineStart(text, start), start).trim() !== '')
      return firstNonBlank(text, lineStart(text, colon));
    return Math.min(start, end);
  });
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function firstNonBlank(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** 1-based, as editors number them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, column: offset - lineStart(text, offset) + 1 };
}
