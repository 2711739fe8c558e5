/**
 * A config key, declared once: its name in the file, its default, how it is read and how the config view shows
 * it. The upstream keys (upstream.ts) and a target's own keys (targets.ts) are objects of such declarations;
 * their TypeScript type (`ConfigOf`), their known-keys list (`yamlKeys`, for "did you mean"), their defaults and
 * their config view are derived from them here, so a key cannot be declared in one place and missed in another.
 */
import type { Decoder } from '../decode/index.js';

export interface ConfigKey<T, Ctx = unknown> {
  /** Its name in the file. */
  yaml: string;
  /** Its value when not set; undefined: an optional key, whose field is then left out. */
  default: T;
  /** Every entry must set it (its `default` is for where there is no entry: the `upstream:` form's one target). */
  required?: true;
  /**
   * Reads the value at `d` over `def`, the default: also what a wrong value leaves in place, so that the checks
   * between fields run on something sensible.
   */
  decode(d: Decoder, def: T, ctx: Ctx): T;
  /** The value as the config view shows it, in the file's units; undefined leaves it out. */
  show(value: T): unknown;
  /** The view's name for it, when that is not its name in the file. */
  view?: string;
}

/** A declaration: field name → key. Methods are bivariant, so keys of any value type fit `ConfigKey<unknown>`. */
type Declaration<Ctx = never> = Record<string, ConfigKey<unknown, Ctx>>;

type ValueOf<K> = K extends ConfigKey<infer T, never> ? T : never;
/** The fields whose key may be left out: undefined is one of its values. */
type OptionalField<D> = { [F in keyof D]: undefined extends ValueOf<D[F]> ? F : never }[keyof D];

/** The decoded config of a declaration: one field per key, with the key's value type; optional keys optional. */
export type ConfigOf<D> = { [F in Exclude<keyof D, OptionalField<D>>]: ValueOf<D[F]> } & {
  [F in OptionalField<D>]?: ValueOf<D[F]>;
};

/** The keys as written in the file, in declaration order: the known keys of the section. */
export function yamlKeys(keys: Declaration): string[] {
  return Object.values(keys).map((key) => key.yaml);
}

/** The config with every key at its default. */
export function defaultsOf<D extends Declaration>(keys: D): ConfigOf<D> {
  const config: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(keys)) if (key.default !== undefined) config[field] = key.default;
  return config as ConfigOf<D>;
}

/** Reads one key of the mapping `section`. */
export function decodeKey<T, Ctx>(key: ConfigKey<T, Ctx>, section: Decoder, ctx: Ctx): T {
  return key.decode(section.at(key.yaml), key.default, ctx);
}

/** Reads every key of the mapping `section` in declaration order; an optional key that is not set is left out. */
export function decodeKeys<D extends Declaration<Ctx>, Ctx>(keys: D, section: Decoder, ctx: Ctx): ConfigOf<D> {
  const config: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(keys)) {
    const value = decodeKey(key, section, ctx);
    if (value !== undefined) config[field] = value;
  }
  return config as ConfigOf<D>;
}

/**
 * The config as people wrote it, for the status page's Config section and /api/v1/status: each key under its
 * name in the file and in the file's units (`interval: 15s`, not `intervalMs: 15000`), in declaration order.
 */
export function viewOf<D extends Declaration>(keys: D, config: ConfigOf<D>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(keys)) {
    const value = (config as Record<string, unknown>)[field];
    const shown = value === undefined ? undefined : key.show(value);
    if (shown !== undefined) view[key.view ?? key.yaml] = shown;
  }
  return view;
}
