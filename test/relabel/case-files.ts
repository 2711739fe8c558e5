/**
 * Loads the relabel data files: test/testdata/relabel/cases/<name>.yml (input labels, rules, expected
 * labels or `drop: true`) and test/testdata/relabel/invalid/<name>.yml (rules and the exact problems).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const TESTDATA = fileURLToPath(new URL('../testdata/relabel/', import.meta.url));

export interface RelabelCase {
  name: string;
  input: Map<string, string>;
  /** The `rules` value as parsed YAML, exactly what compileRelabelConfigs receives in production. */
  rules: unknown;
  /** Expected labels, or null when the series must be dropped. */
  output: Map<string, string> | null;
}

export interface InvalidCase {
  name: string;
  rules: unknown;
  problems: string[];
}

function labelMap(value: unknown, where: string): Map<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${where}: must be a mapping`);
  const map = new Map<string, string>();
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new Error(`${where}.${name}: quote the value (got ${typeof v})`);
    map.set(name, v);
  }
  return map;
}

function listYaml(dir: string): string[] {
  return readdirSync(TESTDATA + dir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
}

function load(dir: string, file: string): Record<string, unknown> {
  return parse(readFileSync(`${TESTDATA}${dir}/${file}`, 'utf8')) as Record<string, unknown>;
}

export function loadCases(): RelabelCase[] {
  return listYaml('cases').map((file) => {
    const doc = load('cases', file);
    const name = file.replace(/\.yml$/, '');
    const drop = doc.drop === true;
    if (drop === 'output' in doc) throw new Error(`${file}: give exactly one of output and drop: true`);
    return {
      name,
      input: labelMap(doc.input, `${file} input`),
      rules: doc.rules,
      output: drop ? null : labelMap(doc.output, `${file} output`),
    };
  });
}

export function loadInvalidCases(): InvalidCase[] {
  return listYaml('invalid').map((file) => {
    const doc = load('invalid', file);
    const problems = doc.problems;
    if (!Array.isArray(problems) || problems.some((p) => typeof p !== 'string'))
      throw new Error(`${file}: problems must be a list of strings`);
    return { name: file.replace(/\.yml$/, ''), rules: doc.rules, problems: problems as string[] };
  });
}

/** Labels as a sorted plain object, so that comparisons ignore Map order and diffs read well. */
export function sortedObject(labels: ReadonlyMap<string, string> | null): Record<string, string> | null {
  if (labels === null) return null;
  return Object.fromEntries([...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
