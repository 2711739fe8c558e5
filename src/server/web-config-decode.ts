/**
 * The shape of the web config file, checked field by field without touching the disk. Field names and
 * semantics are exporter-toolkit's (docs/web-configuration.md, web/tls_config.go, web/handler.go); fields it
 * has and the bridge does not serve are refused by name rather than ignored, so a copied file never
 * silently means less than it says.
 */
import { resolve } from 'node:path';
import { Secret } from './web-config-secret.js';

/** exporter-toolkit's client_auth_type values (Go's crypto/tls ClientAuthType names). */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

export const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;
export type TlsVersionName = (typeof TLS_VERSIONS)[number];

/** Where a PEM comes from: a file (absolute path) or the YAML itself. `field` names it in problems. */
export type PemSource = { field: string; file: string } | { field: string; inline: string };

export interface DecodedTls {
  cert: PemSource | undefined;
  key: PemSource | undefined;
  clientCa: PemSource | undefined;
  clientAuth: ClientAuthType;
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
}

export interface DecodedWebConfig {
  tls: DecodedTls | undefined;
  headers: Record<string, string>;
  users: Map<string, Secret>;
  /** `field.path: what is wrong (the fix)`, without the file prefix. */
  problems: string[];
}

type Fields = Record<string, unknown>;

const TOP_LEVEL = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
const TLS_FIELDS = ['cert', 'key', 'client_ca', 'cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'min_version', 'max_version'];
const HTTP_FIELDS = ['headers', 'http2'];
/** exporter-toolkit fields the bridge does not implement, with what to do instead. */
const NOT_SUPPORTED: Record<string, string> = {
  rate_limit: 'put a rate limit in front of the bridge, or remove it',
  'tls_server_config.cipher_suites': "Node's OpenSSL defaults are used; remove it",
  'tls_server_config.curve_preferences': "Node's OpenSSL defaults are used; remove it",
  'tls_server_config.prefer_server_cipher_suites': 'the server order is always preferred; remove it',
  'tls_server_config.client_allowed_sans': 'issue client certificates from a dedicated CA instead; remove it',
};
/** As exporter-toolkit's extraHTTPHeaders (web/handler.go): the headers that may be set, and their allowed values. */
const ALLOWED_HEADERS: Record<string, readonly string[] | undefined> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};
// Accepted by Go's bcrypt as exporter-toolkit uses it: $2a$, $2b$ or $2y$, cost 04..31, 53 characters of salt and hash.
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const HTPASSWD_HINT = `generate one with: htpasswd -nBC 10 "" | tr -d ':\\n'`;

function mapping(value: unknown, path: string, example: string, problems: string[]): Fields | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Fields;
  problems.push(`${path}: must be a mapping (e.g. ${example})`);
  return undefined;
}

function checkFields(fields: Fields, path: string, known: readonly string[], problems: string[]): void {
  for (const name of Object.keys(fields)) {
    if (known.includes(name)) continue;
    const where = path ? `${path}.${name}` : name;
    const unsupported = NOT_SUPPORTED[where];
    problems.push(unsupported ? `${where}: not supported by the bridge (${unsupported})` : `${where}: unknown field (known fields: ${known.join(', ')})`);
  }
}

/** A string field; an empty string counts as unset, as Go's zero value does. */
function text(fields: Fields, name: string, path: string, problems: string[]): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${path}.${name}: must be a string (got ${Array.isArray(value) ? 'a list' : typeof value})`);
  return undefined;
}

/** The value if it is one of `allowed`, `fallback` if unset; undefined (and a problem) otherwise. */
function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, what: string, where: string, problems: string[]): T | undefined {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${where}: ${JSON.stringify(value)} is not ${what} (use one of ${allowed.join(', ')})`);
  return undefined;
}

/** `cert` / `cert_file` style pairs: at most one of them; relative paths resolved against `baseDir`. */
function pemSource(fields: Fields, name: string, fileName: string, baseDir: string, problems: string[]): PemSource | undefined {
  const path = 'tls_server_config';
  const inline = text(fields, name, path, problems);
  const file = text(fields, fileName, path, problems);
  if (inline !== undefined && file !== undefined) {
    problems.push(`${path}.${name}: set together with ${fileName} (keep one: ${fileName} for a file, ${name} for the PEM inline)`);
  }
  if (file !== undefined) return { field: `${path}.${fileName}`, file: resolve(baseDir, file) };
  if (inline !== undefined) return { field: `${path}.${name}`, inline };
  return undefined;
}

function decodeTls(value: unknown, baseDir: string, problems: string[]): DecodedTls | undefined {
  const fields = mapping(value, 'tls_server_config', 'cert_file: server.crt', problems);
  // An empty section asks for nothing; any field in it asks for TLS (stricter than Go's IsEnabled, which
  // would serve plain HTTP for a section holding only min_version).
  if (!fields || Object.keys(fields).length === 0) return undefined;
  const path = 'tls_server_config';
  checkFields(fields, path, TLS_FIELDS, problems);
  const cert = pemSource(fields, 'cert', 'cert_file', baseDir, problems);
  const key = pemSource(fields, 'key', 'key_file', baseDir, problems);
  const clientCa = pemSource(fields, 'client_ca', 'client_ca_file', baseDir, problems);
  // "RequireClientCert" is exporter-toolkit's backwards-compatible name for RequireAnyClientCert.
  const authText = text(fields, 'client_auth_type', path, problems);
  const clientAuth = oneOf(authText === 'RequireClientCert' ? 'RequireAnyClientCert' : authText, CLIENT_AUTH_TYPES, 'NoClientCert', 'a client auth type', `${path}.client_auth_type`, problems);
  const minText = text(fields, 'min_version', path, problems);
  const maxText = text(fields, 'max_version', path, problems);
  const minVersion = oneOf(minText, TLS_VERSIONS, 'TLS12', 'a TLS version', `${path}.min_version`, problems);
  const maxVersion = oneOf(maxText, TLS_VERSIONS, 'TLS13', 'a TLS version', `${path}.max_version`, problems);

  if (!cert) problems.push(`${path}.cert_file: missing (set cert_file to the server certificate's path, or cert to the PEM inline)`);
  if (!key) {
    const given = cert ? ` while ${cert.field.slice(path.length + 1)} is set` : '';
    problems.push(`${path}.key_file: missing${given} (set key_file to the server key's path, or key to the PEM inline)`);
  }
  // Cross-field rules only between values that are themselves valid: one mistake, one problem.
  const caName = clientCa?.field ?? `${path}.client_ca_file`;
  if (clientCa && clientAuth === 'NoClientCert') {
    problems.push(`${caName}: set while client_auth_type is NoClientCert (set client_auth_type: RequireAndVerifyClientCert, or remove it)`);
  }
  if (!clientCa && (clientAuth === 'RequireAndVerifyClientCert' || clientAuth === 'VerifyClientCertIfGiven')) {
    problems.push(`${caName}: required by client_auth_type ${clientAuth} (set it to the CA that signs the client certificates)`);
  }
  if (minVersion && maxVersion && TLS_VERSIONS.indexOf(minVersion) > TLS_VERSIONS.indexOf(maxVersion)) {
    problems.push(`${path}.min_version: ${minVersion} is above max_version ${maxVersion} (lower min_version or raise max_version)`);
  }
  // With a problem reported the config is refused anyway; the defaults only keep the type simple.
  return { cert, key, clientCa, clientAuth: clientAuth ?? 'NoClientCert', minVersion: minVersion ?? 'TLS12', maxVersion: maxVersion ?? 'TLS13' };
}

function decodeHeaders(value: unknown, problems: string[]): Record<string, string> {
  const path = 'http_server_config.headers';
  const fields = mapping(value, path, 'X-Frame-Options: deny', problems) ?? {};
  const headers: Record<string, string> = {};
  for (const name of Object.keys(fields)) {
    const where = `${path}.${name}`;
    if (!Object.hasOwn(ALLOWED_HEADERS, name)) {
      problems.push(`${where}: this header cannot be configured (allowed: ${Object.keys(ALLOWED_HEADERS).join(', ')})`);
      continue;
    }
    const value = text(fields, name, path, problems);
    if (value === undefined) continue; // "Unset if blank."
    const allowed = ALLOWED_HEADERS[name];
    if (allowed && !allowed.includes(value)) {
      problems.push(`${where}: ${JSON.stringify(value)} is not allowed (use one of ${allowed.join(', ')})`);
    } else if (/\p{Cc}/u.test(value)) {
      problems.push(`${where}: contains a control character (write the value on one line)`);
    } else {
      headers[name] = value;
    }
  }
  return headers;
}

function decodeHttp(value: unknown, problems: string[]): Record<string, string> {
  const fields = mapping(value, 'http_server_config', 'headers: {X-Frame-Options: deny}', problems);
  if (!fields) return {};
  checkFields(fields, 'http_server_config', HTTP_FIELDS, problems);
  // Accepted for files shared with Go exporters; the bridge speaks HTTP/1.1, so it changes nothing.
  if (fields.http2 !== undefined && fields.http2 !== null && typeof fields.http2 !== 'boolean') {
    problems.push('http_server_config.http2: must be true or false');
  }
  return decodeHeaders(fields.headers, problems);
}

function decodeUsers(value: unknown, problems: string[]): Map<string, Secret> {
  const users = new Map<string, Secret>();
  const fields = mapping(value, 'basic_auth_users', 'alice: $2y$10$...', problems);
  for (const [user, hash] of Object.entries(fields ?? {})) {
    const where = `basic_auth_users.${user}`;
    // RFC 7617: the user-id cannot contain a colon, so such a user could never log in.
    if (user.includes(':')) problems.push(`${where}: a user name cannot contain ":" (rename the user)`);
    // The value is a secret (exporter-toolkit reads it as config_util.Secret): never echoed in a problem.
    else if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) problems.push(`${where}: is not a bcrypt hash (${HTPASSWD_HINT})`);
    else users.set(user, new Secret(hash));
  }
  return users;
}

/** Checks a parsed YAML value. `baseDir` resolves relative file paths. */
export function decodeWebConfig(raw: unknown, baseDir: string): DecodedWebConfig {
  const problems: string[] = [];
  const top = mapping(raw, '(top level)', 'tls_server_config: {...}', problems);
  if (!top) return { tls: undefined, headers: {}, users: new Map(), problems };
  checkFields(top, '', TOP_LEVEL, problems);
  const tls = decodeTls(top.tls_server_config, baseDir, problems);
  const headers = decodeHttp(top.http_server_config, problems);
  const users = decodeUsers(top.basic_auth_users, problems);
  return { tls, headers, users, problems };
}
