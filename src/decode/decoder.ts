/**
 * The one reader of every YAML surface (config, targets, remote_write, web config, SLO file, relabel rules):
 * a `Decoder` is a parsed YAML value with its path (`targets[1].tls_config.ca_file`) and the problem list it
 * shares with every other node of the same file, so one read reports every problem at once, each as
 * `path: what is wrong (the fix)`. Each config type reads its fields over its `DEFAULT_…` value, then checks
 * its cross-field rules (as blackbox_exporter's config.go: `*c = DefaultX; unmarshal; Validate()`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseByteSize } from './byte-size.js';
import { parseDuration } from './duration.js';
import { isOneOf, notOneOf, unknownField } from './suggest.js';

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the url() check says about a URL that is wrong: an example, the schemes' fix, the credentials' fix. */
export interface UrlAdvice {
  example: string;
  schemes: string;
  credentials: string;
}

export class Decoder {
  constructor(
    readonly value: unknown,
    readonly path = '',
    readonly problems: string[] = [],
  ) {}

  /** Neither absent nor YAML null (`key:` with no value). */
  get isSet(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  /** Problems so far: a read that raised the count found something wrong. */
  get count(): number {
    return this.problems.length;
  }

  /** The value at a key of this mapping, or at an index of this list. */
  at(key: string | number): Decoder {
    if (typeof key === 'number')
      return new Decoder(
        Array.isArray(this.value) ? this.value[key] : undefined,
        `${this.path}[${key}]`,
        this.problems,
      );
    return new Decoder(
      isMapping(this.value) && Object.hasOwn(this.value, key) ? this.value[key] : undefined,
      this.path ? `${this.path}.${key}` : key,
      this.problems,
    );
  }

  problem(message: string): void {
    this.problems.push(`${this.path || '(top level)'}: ${message}`);
  }

  /** The same value and path, its problems going to `problems` (to keep a section's problems after its parent's). */
  reportingTo(problems: string[]): Decoder {
    return new Decoder(this.value, this.path, problems);
  }

  isMapping(): boolean {
    return isMapping(this.value);
  }

  /**
   * A mapping whose keys must be `known`: true when it is one or is not set. Not a mapping: `path: must be
   * <shape>`. An unknown key: `explain(key)` when it knows where the key belongs, else "did you mean".
   */
  mapping(known: readonly string[], shape: string, explain?: (key: string) => string | undefined): boolean {
    if (!this.isSet) return true;
    if (!isMapping(this.value)) {
      this.problem(`must be ${shape}`);
      return false;
    }
    for (const key of Object.keys(this.value)) {
      if (!known.includes(key)) this.at(key).problem(explain?.(key) ?? unknownField(key, known));
    }
    return true;
  }

  /** The entries of a mapping (none when it is not one). */
  entries(): Array<[string, Decoder]> {
    return isMapping(this.value) ? Object.keys(this.value).map((key) => [key, this.at(key)]) : [];
  }

  /**
   * A mapping of names to text (not set: empty): not a mapping, `path: must be <shape>`; each entry is kept
   * when `read(name, value)` returns its text, and `read` reports the entry's problem otherwise.
   */
  textMap(shape: string, read: (name: string, value: Decoder) => string | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (!this.isSet) return out;
    if (!isMapping(this.value)) {
      this.problem(`must be ${shape}`);
      return out;
    }
    for (const [name, value] of this.entries()) {
      const text = read(name, value);
      if (text !== undefined) out[name] = text;
    }
    return out;
  }

  /** The items of a list (none when it is not one). */
  items(): Decoder[] {
    return Array.isArray(this.value) ? this.value.map((_, i) => this.at(i)) : [];
  }

  /** A non-empty string; not set: `fallback`. */
  string(fallback?: string): string | undefined {
    if (!this.isSet) return fallback;
    if (typeof this.value === 'string' && this.value !== '') return this.value;
    this.problem(`must be a non-empty string (got ${JSON.stringify(this.value)})`);
    return fallback;
  }

  boolean(fallback: boolean): boolean {
    if (!this.isSet) return fallback;
    if (typeof this.value === 'boolean') return this.value;
    this.problem(`must be true or false (got ${JSON.stringify(this.value)})`);
    return fallback;
  }

  /** A whole number in [min, max]. */
  integer(fallback: number, min: number, max: number, hint: string): number {
    if (!this.isSet) return fallback;
    const raw = this.value;
    if (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max) return raw;
    this.problem(`${JSON.stringify(raw)} is not a whole number from ${min} to ${max} (${hint})`);
    return fallback;
  }

  ratio(fallback: number): number {
    if (!this.isSet) return fallback;
    if (typeof this.value === 'number' && this.value >= 0 && this.value <= 1) return this.value;
    this.problem(`${JSON.stringify(this.value)} is not a ratio from 0 to 1 (e.g. 0.01 for 1%)`);
    return fallback;
  }

  /** A Prometheus duration (`1m30s`) in milliseconds; not set: `fallbackMs`; not a duration: 0. */
  duration(fallbackMs: number): number {
    if (!this.isSet) return fallbackMs;
    const ms = typeof this.value === 'string' ? parseDuration(this.value) : undefined;
    if (ms === undefined)
      this.problem(`${JSON.stringify(this.value)} is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)`);
    return ms ?? 0;
  }

  /** A duration that must be above 0; only one problem when it is not a duration at all. */
  positiveDuration(fallback: number, example: string): number {
    const before = this.count;
    const ms = this.duration(fallback);
    if (this.count === before && ms === 0) this.problem(`must be above 0 (e.g. ${example})`);
    return ms;
  }

  /** A byte size above 0 (`64MiB`, `512KB`, a number of bytes). */
  bytes(fallback: number): number {
    if (!this.isSet) return fallback;
    const bytes = parseByteSize(this.value);
    if (bytes !== undefined && bytes > 0) return bytes;
    this.problem(`${JSON.stringify(this.value)} is not a size (e.g. 64MiB, 512KB or a number of bytes)`);
    return fallback;
  }

  /** One of `allowed`; `what` names the set in the problem (`a TLS version`). */
  oneOf<T extends string>(allowed: readonly T[], fallback: T, what?: string): T {
    if (!this.isSet) return fallback;
    if (isOneOf(this.value, allowed)) return this.value;
    this.problem(notOneOf(this.value, allowed, what));
    return fallback;
  }

  /** An http(s) URL without credentials; its text, and the parsed URL when it is one. */
  url(fallback: string | undefined, advice: UrlAdvice): { text: string; url?: URL } {
    const text = this.string(fallback);
    if (text === undefined) return { text: '' };
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      // Not echoed when it might hold a password (user:password@host that failed to parse).
      this.problem(`${text.includes('@') ? 'the value' : JSON.stringify(text)} is not a URL (e.g. ${advice.example})`);
      return { text };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      this.problem(`scheme ${url.protocol} is not supported (${advice.schemes})`);
    if (url.username || url.password) this.problem(`must not carry credentials (${advice.credentials})`);
    return { text, url };
  }

  /** A file named here, read now (to check it, or to keep its PEM); the path resolved against `baseDir`. */
  file(baseDir: string): { path?: string; text?: string } {
    const name = this.string();
    if (name === undefined) return {};
    const path = resolve(baseDir, name);
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch (err) {
      this.problem(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
      return { path };
    }
  }
}
