/**
 * deploy/systemd/baseten-bridge.service read as systemd reads it (systemd.syntax(7)): `[Section]` headers,
 * `Key=value` lines, `#` and `;` comments; a key may repeat, and an empty value resets the list, as
 * `CapabilityBoundingSet=` does. Enough for the tests to read what the unit says, not a full parser (no
 * line continuations: the unit has none).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const UNIT_PATH = resolve(__dirname, '../../deploy/systemd/baseten-bridge.service');

export type Unit = Record<string, Record<string, string[]>>;

export function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = unit[header[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 0) throw new Error(`not a unit line: ${line}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    section[key] = value === '' ? [''] : [...(section[key] ?? []).filter((v) => v !== ''), value];
  }
  return unit;
}

export function readUnit(): { text: string; unit: Unit } {
  const text = readFileSync(UNIT_PATH, 'utf8');
  return { text, unit: parseUnit(text) };
}

/** The one value of a key, or a failure when it is missing or repeated. */
export function single(unit: Unit, section: string, key: string): string {
  const values = unit[section]?.[key] ?? [];
  if (values.length !== 1) throw new Error(`[${section}] ${key}: expected one value, found ${values.length}`);
  return values[0]!;
}

/** `Environment=` lines as a map (values without quotes or spaces, as the unit writes them). */
export function environment(unit: Unit): Record<string, string> {
  return Object.fromEntries(
    (unit.Service?.Environment ?? []).map((assignment) => assignment.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}
