/**
 * `--web.config.file`: the Prometheus exporter-toolkit web configuration (TLS, response headers, basic auth
 * users), with the same field names and meanings as exporter-toolkit's docs/web-configuration.md and
 * web/tls_config.go. The subset the bridge serves is decoded in web-config-decode.ts; the certificate and key
 * files are read and checked here, at load, so a reload either applies a working config or changes nothing.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readYaml } from '../decode/index.js';
import { ProblemsError } from '../problems-error.js';
import { decodeWebConfig } from './web-config-decode.js';
import type { Secret } from './web-config-secret.js';
import { loadTlsMaterial, type WebTlsConfig } from './web-config-tls.js';

export { CLIENT_AUTH_TYPES, TLS_VERSIONS, type ClientAuthType, type TlsVersionName } from './web-config-decode.js';
export { Secret } from './web-config-secret.js';

export interface WebConfig {
  /** The file it came from, as given on the command line. */
  readonly origin: string;
  /** Undefined: plain HTTP. */
  readonly tls: WebTlsConfig | undefined;
  /** http_server_config.headers, validated against exporter-toolkit's allowed set; blank values left out. */
  readonly headers: Readonly<Record<string, string>>;
  /** basic_auth_users: user name → bcrypt hash. Empty: no authentication. */
  readonly users: ReadonlyMap<string, Secret>;
}

/**
 * Every problem of one web config file (`file` undefined: no file, plain HTTP); each line `web config FILE: field.path:
 * …`.
 */
export class WebConfigError extends ProblemsError {
  override name = 'WebConfigError';
  constructor(file: string | undefined, problems: readonly string[], options?: { cause?: unknown }) {
    super(file === undefined ? 'web config' : `web config ${file}`, problems, options);
  }
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new WebConfigError(path, [`cannot read the file: ${code} (check --web.config.file)`], { cause: err });
  }
}

/** Reads the web config file and every certificate and key it names; throws WebConfigError with all problems. */
export function loadWebConfig(path: string): WebConfig {
  const read = readYaml(readConfigText(path));
  if (read.problems) throw new WebConfigError(path, read.problems);
  // Relative file paths start at the web config file's folder, as exporter-toolkit's TLSConfig.SetDirectory.
  const decoded = decodeWebConfig(read.value, dirname(resolve(path)));
  const problems = [...decoded.problems];
  const tls = decoded.tls ? loadTlsMaterial(decoded.tls, problems) : undefined;
  if (problems.length > 0) throw new WebConfigError(path, problems);
  return { origin: path, tls, headers: decoded.headers, users: decoded.users };
}
