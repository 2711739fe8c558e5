/**
 * Where the Baseten API key comes from. First found wins: `upstream.api_key_file`, `BASETEN_API_KEY_FILE`,
 * `BASETEN_API_KEY`, then `api_key` under `[baseten]` in `~/.trussrc` (where Baseten's own CLI keeps it). The
 * demo has one source of its own, before all of them: the key it generated for its simulator.
 * Never a flag: argv is visible to every user of the machine in `ps`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemsError } from '../problems-error.js';
import { readTrussrcKey } from './trussrc.js';

export interface ResolvedKey {
  key: string;
  /** Where it was found, safe to log: e.g. `BASETEN_API_KEY` or `file /run/secrets/baseten_api_key`. */
  source: string;
  /** Set when a pasted `Api-Key ` / `Bearer ` prefix was stripped. */
  strippedScheme?: string;
  /** Set when quotes around the key (`'…'` or `"…"`, as in a shell or .env line) were stripped. */
  strippedQuotes?: true;
}

export interface KeyLookup {
  apiKeyFile?: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** The demo's key, generated for this run and valid only for its simulator: when set, no other source is read. */
  generated?: string;
}

const GENERATED_SOURCE = 'demo (generated)';

/** No usable key: one problem, read `api key: what (the fix)`; never the key itself. */
export class ApiKeyError extends ProblemsError {
  override name = 'ApiKeyError';
  constructor(problem: string) {
    super('api key', [problem]);
  }
}

/** The text without one pair of matching quotes around it, or undefined when it has none. */
function unquoted(text: string): string | undefined {
  const quoted = /^(['"])([\s\S]*)\1$/.exec(text);
  return quoted ? quoted[2]!.trim() : undefined;
}

/**
 * Trims and checks a key. What people paste around it is taken off and said once (keyAdvice): a scheme
 * (`Api-Key …`, as in a curl command) and quotes (`'…'`, as in a shell or .env line), in either order; a quote
 * left inside is refused, since it would be sent and rejected. Errors name the source, never the key.
 */
export function cleanKey(raw: string, source: string): Omit<ResolvedKey, 'source'> {
  let key = raw.trim();
  let strippedQuotes = false;
  let strippedScheme: string | undefined;
  const stripQuotes = () => {
    const inner = unquoted(key);
    if (inner === undefined) return;
    key = inner;
    strippedQuotes = true;
  };
  stripQuotes();
  const scheme = /^(Api-Key|Bearer)\s+/i.exec(key);
  if (scheme) {
    strippedScheme = scheme[1];
    key = key.slice(scheme[0].length);
    stripQuotes();
  }
  if (key === '') throw new ApiKeyError(`${source} is empty (put the key from Baseten's API keys page there)`);
  if (/[\s\p{Cc}]/u.test(key)) {
    throw new ApiKeyError(
      `${source} contains whitespace or control characters inside the key (store the key alone, on one line)`,
    );
  }
  if (/['"]/.test(key))
    throw new ApiKeyError(`${source} contains a quote character inside the key (store the key alone, without quotes)`);
  return {
    key,
    ...(strippedScheme ? { strippedScheme } : {}),
    ...(strippedQuotes ? { strippedQuotes: true as const } : {}),
  };
}

function fromFile(path: string, source: string): ResolvedKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ApiKeyError(`cannot read ${source} (${code}); check the path and its permissions`);
  }
  return { ...cleanKey(text, source), source };
}

/** Finds the key, reading files anew on every call so a rotated key file is picked up without a restart. */
export function resolveApiKey(lookup: KeyLookup): ResolvedKey {
  if (lookup.generated !== undefined) return { key: lookup.generated, source: GENERATED_SOURCE };
  if (lookup.apiKeyFile) return fromFile(lookup.apiKeyFile, `upstream.api_key_file ${lookup.apiKeyFile}`);
  const envFile = lookup.env.BASETEN_API_KEY_FILE;
  if (envFile) return fromFile(envFile, `BASETEN_API_KEY_FILE ${envFile}`);
  const envKey = lookup.env.BASETEN_API_KEY;
  if (envKey !== undefined && envKey !== '')
    return { ...cleanKey(envKey, 'BASETEN_API_KEY'), source: 'BASETEN_API_KEY' };
  const trussrc = join(lookup.homeDir, '.trussrc');
  const fromTrussrc = readTrussrcKey(trussrc);
  if (fromTrussrc !== undefined) {
    const source = `${trussrc} [baseten] api_key`;
    return { ...cleanKey(fromTrussrc, source), source };
  }
  throw new ApiKeyError(
    `none found; looked in upstream.api_key_file (not set), ` +
      `BASETEN_API_KEY_FILE (not set), BASETEN_API_KEY (not set) and ` +
      `${trussrc} (no [baseten] api_key); set one of them to a metrics-only workspace key`,
  );
}
