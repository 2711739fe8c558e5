/**
 * Reads typed values out of a decoded YAML object, collecting a problem (with its field path and the fix)
 * for each bad value instead of stopping at the first.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseByteSize } from './byte-size.js';
import { parseDuration } from './duration.js';

export class FieldReader {
  readonly problems: string[] = [];

  constructor(
    private readonly values: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  private path(key: string): string {
    return `${this.prefix}.${key}`;
  }

  problem(key: string, message: string): void {
    this.problems.push(`${this.path(key)}: ${message}`);
  }

  has(key: string): boolean {
    return this.values[key] !== undefined && this.values[key] !== null;
  }

  duration(key: string, fallback: string): number {
    const raw = this.has(key) ? this.values[key] : fallback;
    const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
    if (ms === undefined) this.problem(key, `${JSON.stringify(raw)} is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)`);
    return ms ?? 0;
  }

  string(key: string, fallback?: string): string | undefined {
    if (!this.has(key)) return fallback;
    const raw = this.values[key];
    if (typeof raw === 'string' && raw !== '') return raw;
    this.problem(key, `must be a non-empty string (got ${JSON.stringify(raw)})`);
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    if (!this.has(key)) return fallback;
    const raw = this.values[key];
    if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
    this.problem(key, `${JSON.stringify(raw)} is not one of ${allowed.join(', ')}`);
    return fallback;
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const raw = this.values[key];
    if (typeof raw === 'boolean') return raw;
    this.problem(key, `must be true or false (got ${JSON.stringify(raw)})`);
    return fallback;
  }

  /** A whole number in [min, max]. */
  integer(key: string, fallback: number, min: number, max: number, hint: string): number {
    if (!this.has(key)) return fallback;
    const raw = this.values[key];
    if (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max) return raw;
    this.problem(key, `${JSON.stringify(raw)} is not a whole number from ${min} to ${max} (${hint})`);
    return fallback;
  }

  ratio(key: string, fallback: number): number {
    if (!this.has(key)) return fallback;
    const raw = this.values[key];
    if (typeof raw === 'number' && raw >= 0 && raw <= 1) return raw;
    this.problem(key, `${JSON.stringify(raw)} is not a ratio from 0 to 1 (e.g. 0.01 for 1%)`);
    return fallback;
  }

  bytes(key: string, fallback: number): number {
    if (!this.has(key)) return fallback;
    const raw = this.values[key];
    const bytes = parseByteSize(raw);
    if (bytes !== undefined && bytes > 0) return bytes;
    this.problem(key, `${JSON.stringify(raw)} is not a size (e.g. 64MiB, 512KB or a number of bytes)`);
    return fallback;
  }

  /** A file named at `key`, read now (to check it, or to keep its PEM); the path resolved against `baseDir`. */
  file(key: string, baseDir: string): { path?: string; text?: string } {
    const name = this.string(key);
    if (name === undefined) return {};
    const path = resolve(baseDir, name);
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch (err) {
      this.problem(key, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
      return { path };
    }
  }
}
