/**
 * The shape of the web config file, checked field by field without touching the disk. Field names and
 * semantics are exporter-toolkit's (docs/web-configuration.md, web/tls_config.go, web/handler.go); fields it
 * has and the bridge does not serve are refused by name rather than ignored, so a copied file never
 * silently means less than it says.
 */
import { resolve } from 'node:path';
import { Decoder, isOneOf, notOneOf, typeName } from '../decode/index.js';
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

const TOP_LEVEL = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
const TLS_FIELDS = [
  'cert',
  'key',
  'client_ca',
  'cert_file',
  'key_file',
  'client_auth_type',
  'client_ca_file',
  'min_version',
  'max_version',
];
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

/** A section: a mapping (not set: empty), its unknown fields reported, or undefined when it is something else. */
function section(d: Decoder, example: string, known?: readonly string[]): Decoder | undefined {
  if (d.isSet && !d.isMapping()) {
    d.problem(`must be a mapping (e.g. ${example})`);
    return undefined;
  }
  if (known) d.mapping(known, 'a mapping', (key) => unsupported(d.at(key).path));
  return d;
}

function unsupported(where: string): string | undefined {
  const fix = NOT_SUPPORTED[where];
  return fix === undefined ? undefined : `not supported by the bridge (${fix})`;
}

/** A string field; an empty string counts as unset, as Go's zero value does. */
function text(d: Decoder): string | undefined {
  if (!d.isSet || d.value === '') return undefined;
  if (typeof d.value === 'string') return d.value;
  d.problem(`must be a string (got ${typeName(d.value)})`);
  return undefined;
}

/** The value if it is one of `allowed`, `fallback` if unset; undefined (and a problem) otherwise. */
function oneOf<T extends string>(
  d: Decoder,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  what: string,
): T | undefined {
  if (value === undefined) return fallback;
  if (isOneOf(value, allowed)) return value;
  d.problem(notOneOf(value, allowed, what));
  return undefined;
}

/** `cert` / `cert_file` style pairs: at most one of them; relative paths resolved against `baseDir`. */
function pemSource(d: Decoder, name: string, fileName: string, baseDir: string): PemSource | undefined {
  const inline = text(d.at(name));
  const file = text(d.at(fileName));
  if (inline !== undefined && file !== undefined) {
    d.at(name).problem(`set together with ${fileName} (keep one: ${fileName} for a file, ${name} for the PEM inline)`);
  }
  if (file !== undefined) return { field: d.at(fileName).path, file: resolve(baseDir, file) };
  if (inline !== undefined) return { field: d.at(name).path, inline };
  return undefined;
}

export const DEFAULT_TLS = {
  clientAuth: 'NoClientCert',
  minVersion: 'TLS12',
  maxVersion: 'TLS13',
} as const satisfies Partial<DecodedTls>;

function decodeTls(d: Decoder, baseDir: string): DecodedTls | undefined {
  // An empty section asks for nothing; any field in it asks for TLS (stricter than Go's IsEnabled, which
  // would serve plain HTTP for a section holding only min_version).
  if (!section(d, 'cert_file: server.crt') || d.entries().length === 0) return undefined;
  section(d, '', TLS_FIELDS);
  const cert = pemSource(d, 'cert', 'cert_file', baseDir);
  const key = pemSource(d, 'key', 'key_file', baseDir);
  const clientCa = pemSource(d, 'client_ca', 'client_ca_file', baseDir);
  // "RequireClientCert" is exporter-toolkit's backwards-compatible name for RequireAnyClientCert.
  const authText = text(d.at('client_auth_type'));
  const clientAuth = oneOf(
    d.at('client_auth_type'),
    authText === 'RequireClientCert' ? 'RequireAnyClientCert' : authText,
    CLIENT_AUTH_TYPES,
    DEFAULT_TLS.clientAuth,
    'a client auth type',
  );
  const minText = text(d.at('min_version'));
  const maxText = text(d.at('max_version'));
  const minVersion = oneOf(d.at('min_version'), minText, TLS_VERSIONS, DEFAULT_TLS.minVersion, 'a TLS version');
  const maxVersion = oneOf(d.at('max_version'), maxText, TLS_VERSIONS, DEFAULT_TLS.maxVersion, 'a TLS version');
  validateTls(d, { cert, key, clientCa, clientAuth, minVersion, maxVersion });
  // With a problem reported the config is refused anyway; the defaults only keep the type simple.
  return {
    cert,
    key,
    clientCa,
    clientAuth: clientAuth ?? DEFAULT_TLS.clientAuth,
    minVersion: minVersion ?? DEFAULT_TLS.minVersion,
    maxVersion: maxVersion ?? DEFAULT_TLS.maxVersion,
  };
}

/** Cross-field rules only between values that are themselves valid: one mistake, one problem. */
function validateTls(d: Decoder, tls: { [K in keyof DecodedTls]: DecodedTls[K] | undefined }): void {
  const { cert, key, clientCa, clientAuth, minVersion, maxVersion } = tls;
  const path = d.path;
  if (!cert)
    d.at('cert_file').problem("missing (set cert_file to the server certificate's path, or cert to the PEM inline)");
  if (!key) {
    const given = cert ? ` while ${cert.field.slice(path.length + 1)} is set` : '';
    d.at('key_file').problem(`missing${given} (set key_file to the server key's path, or key to the PEM inline)`);
  }
  const ca = new Decoder(undefined, clientCa?.field ?? d.at('client_ca_file').path, d.problems);
  if (clientCa && clientAuth === 'NoClientCert')
    ca.problem(
      'set while client_auth_type is NoClientCert (set client_auth_type: RequireAndVerifyClientCert, or remove it)',
    );
  if (!clientCa && (clientAuth === 'RequireAndVerifyClientCert' || clientAuth === 'VerifyClientCertIfGiven')) {
    ca.problem(`required by client_auth_type ${clientAuth} (set it to the CA that signs the client certificates)`);
  }
  if (minVersion && maxVersion && TLS_VERSIONS.indexOf(minVersion) > TLS_VERSIONS.indexOf(maxVersion)) {
    d.at('min_version').problem(
      `${minVersion} is above max_version ${maxVersion} (lower min_version or raise max_version)`,
    );
  }
}

function decodeHeaders(d: Decoder): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!section(d, 'X-Frame-Options: deny')) return headers;
  for (const [name, field] of d.entries()) {
    if (!Object.hasOwn(ALLOWED_HEADERS, name)) {
      field.problem(`this header cannot be configured (allowed: ${Object.keys(ALLOWED_HEADERS).join(', ')})`);
      continue;
    }
    const value = text(field);
    if (value === undefined) continue; // "Unset if blank."
    const allowed = ALLOWED_HEADERS[name];
    if (allowed && !allowed.includes(value))
      field.problem(`${JSON.stringify(value)} is not allowed (use one of ${allowed.join(', ')})`);
    else if (/\p{Cc}/u.test(value)) field.problem('contains a control character (write the value on one line)');
    else headers[name] = value;
  }
  return headers;
}

function decodeHttp(d: Decoder): Record<string, string> {
  if (!section(d, 'headers: {X-Frame-Options: deny}', HTTP_FIELDS)) return {};
  // Accepted for files shared with Go exporters; the bridge speaks HTTP/1.1, so it changes nothing.
  const http2 = d.at('http2');
  if (http2.isSet && typeof http2.value !== 'boolean') http2.problem('must be true or false');
  return decodeHeaders(d.at('headers'));
}

function decodeUsers(d: Decoder): Map<string, Secret> {
  const users = new Map<string, Secret>();
  if (!section(d, 'alice: $2y$10$...')) return users;
  for (const [user, hash] of d.entries()) {
    // RFC 7617: the user-id cannot contain a colon, so such a user could never log in.
    if (user.includes(':')) hash.problem('a user name cannot contain ":" (rename the user)');
    // The value is a secret (exporter-toolkit reads it as config_util.Secret): never echoed in a problem.
    else if (typeof hash.value !== 'string' || !BCRYPT_HASH.test(hash.value))
      hash.problem(`is not a bcrypt hash (${HTPASSWD_HINT})`);
    else users.set(user, new Secret(hash.value));
  }
  return users;
}

/** Checks a parsed YAML value. `baseDir` resolves relative file paths. */
export function decodeWebConfig(raw: unknown, baseDir: string): DecodedWebConfig {
  const root = new Decoder(raw);
  if (!section(root, 'tls_server_config: {...}', TOP_LEVEL))
    return { tls: undefined, headers: {}, users: new Map(), problems: root.problems };
  const tls = decodeTls(root.at('tls_server_config'), baseDir);
  const headers = decodeHttp(root.at('http_server_config'));
  const users = decodeUsers(root.at('basic_auth_users'));
  return { tls, headers, users, problems: root.problems };
}
