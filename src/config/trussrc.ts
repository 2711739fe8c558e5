/** Reads `api_key` from the `[baseten]` section of a `~/.trussrc` INI file, as Baseten's `truss` CLI writes it. */
import { readFileSync } from 'node:fs';

export function readTrussrcKey(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let section = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (section === 'baseten' && eq > 0 && line.slice(0, eq).trim() === 'api_key') {
      return line.slice(eq + 1).trim();
    }
  }
  return undefined;
}
