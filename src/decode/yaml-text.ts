/**
 * The one YAML-syntax reporter: a text → its value, or every syntax error with its line and column (the
 * config file, the web config, the SLO file and the relabel debugger's rules all read YAML through it).
 */
import { parseDocument } from 'yaml';

export type YamlRead = { value: unknown; problems?: undefined } | { value?: undefined; problems: string[] };

/**
 * `maxAliasCount` bounds what aliases may build (the "billion laughs"); past it the text is refused as a
 * problem, not thrown as a bug.
 */
export function readYaml(text: string, maxAliasCount?: number): YamlRead {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${pos ? `line ${pos.line} column ${pos.col}: ` : ''}YAML syntax error (${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`;
      }),
    };
  }
  if (maxAliasCount === undefined) return { value: doc.toJS() };
  try {
    return { value: doc.toJS({ maxAliasCount }) };
  } catch (err) {
    // The yaml package refuses excessive aliases with a ReferenceError.
    return { problems: [`YAML error (${(err as Error).message.split('\n')[0]}; use at most ${maxAliasCount} aliases)`] };
  }
}
