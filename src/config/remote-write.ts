/**
 * The `remote_write:` list, with Prometheus's field names (config/config.go RemoteWriteConfig,
 * common/config HTTPClientConfig): every problem of every entry is reported with its path and the fix.
 * Secret files are checked here (readable) but read again before each request, so a rotated password or
 * token works without a reload.
 */
import { compileRelabelConfigs, RelabelConfigError, type CompiledRules } from '../relabel/index.js';
import { FieldReader } from './field-reader.js';
import { closestKey } from './suggest.js';

export interface RemoteWriteQueueConfig {
  /** Samples held (sealed batches waiting to be sent plus the batch being filled) before the oldest are dropped. */
  capacity: number;
  maxSamplesPerSend: number;
  batchSendDeadlineMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

export type RemoteWriteAuth =
  | { kind: 'basic'; username: string; password?: string; passwordFile?: string }
  | { kind: 'authorization'; type: string; credentials?: string; credentialsFile?: string };

export interface RemoteWriteTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** PEM text read at load time from the files above. */
  ca?: string;
  cert?: string;
  key?: string;
  serverName?: string;
  insecureSkipVerify: boolean;
}

export interface RemoteWriteConfig {
  /** The `remote` label of the self-metrics and logs: never holds credentials. */
  name: string;
  url: string;
  headers: Record<string, string>;
  auth?: RemoteWriteAuth;
  tls: RemoteWriteTls;
  remoteTimeoutMs: number;
  relabel: CompiledRules;
  queue: RemoteWriteQueueConfig;
}

/**
 * Queue defaults sized for an organization of 250,000 series pushed once a minute, sent one request at a
 * time (Prometheus has up to 50 parallel shards; the bridge has one connection per remote):
 * - capacity 1,000,000 samples: four whole pushes, i.e. a receiver may be away for about four intervals
 *   before the oldest samples are dropped. Batches are kept snappy-compressed (~18 bytes per sample for
 *   Baseten-shaped series: 4.3 MiB for 250,000 in test/remotewrite/event-loop.test.ts), so a full queue is
 *   ~20 MB, not the ~200 MB the same samples would take uncompressed.
 *   (Prometheus's 10,000 is per shard and backed by its WAL; here it would drop 96 % of one push.)
 * - max_samples_per_send 5,000: 50 requests per push instead of Prometheus's 2,000 → 125, which matters
 *   when they go one at a time over a WAN; ~1 MB uncompressed, well under every receiver's request limit.
 * - batch_send_deadline 5s, min_backoff 30ms, max_backoff 5s: Prometheus 2.x's own defaults.
 * - remote_timeout 30s: Prometheus's default.
 */
export const REMOTE_WRITE_DEFAULTS = {
  remoteTimeout: '30s',
  capacity: 1_000_000,
  maxSamplesPerSend: 5_000,
  batchSendDeadline: '5s',
  minBackoff: '30ms',
  maxBackoff: '5s',
} as const;

const ENTRY_KEYS = ['url', 'name', 'headers', 'basic_auth', 'authorization', 'tls_config', 'remote_timeout', 'write_relabel_configs', 'queue_config'];
const BASIC_AUTH_KEYS = ['username', 'password', 'password_file'];
const AUTHORIZATION_KEYS = ['type', 'credentials', 'credentials_file'];
const TLS_KEYS = ['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify'];
const QUEUE_KEYS = ['capacity', 'max_samples_per_send', 'batch_send_deadline', 'min_backoff', 'max_backoff'];

/** As common/config http_config.go reservedHeaders: the sender sets these itself. */
const RESERVED_HEADERS = [
  'Authorization',
  'Host',
  'Content-Encoding',
  'Content-Length',
  'Content-Type',
  'User-Agent',
  'Connection',
  'Keep-Alive',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Www-Authenticate',
  'Accept-Encoding',
  'X-Prometheus-Remote-Write-Version',
  'X-Prometheus-Remote-Read-Version',
  'X-Prometheus-Scrape-Timeout-Seconds',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
];
const RESERVED = new Set(RESERVED_HEADERS.map((h) => h.toLowerCase()));
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_INT = 2 ** 31 - 1;

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(values: Record<string, unknown>, known: readonly string[], path: string, problems: string[]): void {
  for (const key of Object.keys(values)) {
    if (known.includes(key)) continue;
    const hint = closestKey(key, known);
    problems.push(`${path}.${key}: unknown field${hint ? ` (did you mean "${hint}"?)` : ` (known fields: ${known.join(', ')})`}`);
  }
}

/** A mapping at `key`, or undefined (with a problem when it is something else). */
function section(r: FieldReader, values: Record<string, unknown>, key: string, path: string, known: readonly string[], problems: string[]): Record<string, unknown> | undefined {
  const raw = values[key];
  if (raw === undefined || raw === null) return undefined;
  if (!isMapping(raw)) {
    r.problem(key, `must be a mapping with fields ${known.join(', ')}`);
    return undefined;
  }
  unknownFields(raw, known, `${path}.${key}`, problems);
  return raw;
}

/** A duration that must be above 0; only one problem when it is not a duration at all. */
function positiveDuration(r: FieldReader, key: string, fallback: string, example: string): number {
  const before = r.problems.length;
  const ms = r.duration(key, fallback);
  if (r.problems.length === before && ms === 0) r.problem(key, `must be above 0 (e.g. ${example})`);
  return ms;
}

function readUrl(r: FieldReader): { url: string; derivedName: string } {
  if (!r.has('url')) {
    r.problem('url', 'is required (the receiver\'s write endpoint, e.g. https://prometheus.example.com/api/v1/write)');
    return { url: '', derivedName: '' };
  }
  const url = r.string('url') ?? '';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed when it might hold a password (user:password@host that failed to parse).
    const shown = url.includes('@') ? 'the value' : JSON.stringify(url);
    if (url !== '') r.problem('url', `${shown} is not a URL (e.g. https://prometheus.example.com/api/v1/write)`);
    return { url, derivedName: '' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') r.problem('url', `scheme ${parsed.protocol} is not supported (use https:// or http://)`);
  if (parsed.username || parsed.password) {
    r.problem('url', 'must not carry credentials (move them to basic_auth.username and basic_auth.password_file)');
  }
  return { url, derivedName: `${parsed.host}${parsed.pathname}` };
}

function readHeaders(r: FieldReader, values: Record<string, unknown>): Record<string, string> {
  const raw = values.headers;
  if (raw === undefined || raw === null) return {};
  if (!isMapping(raw)) {
    r.problem('headers', 'must be a mapping of header name to value (e.g. X-Scope-OrgID: tenant-1)');
    return {};
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (RESERVED.has(name.toLowerCase())) {
      const fix = name.toLowerCase() === 'authorization' ? 'use basic_auth or authorization' : 'the sender sets it';
      r.problem(`headers.${name}`, `is a reserved header and cannot be set (${fix})`);
    } else if (!HEADER_NAME.test(name)) r.problem(`headers.${name}`, 'is not a valid HTTP header name (letters, digits and -_. only)');
    else if (typeof value !== 'string' || /[\r\n]/.test(value)) r.problem(`headers.${name}`, 'must be a string on one line');
    else headers[name] = value;
  }
  return headers;
}

function readAuth(r: FieldReader, values: Record<string, unknown>, path: string, baseDir: string, problems: string[]): RemoteWriteAuth | undefined {
  const basicRaw = section(r, values, 'basic_auth', path, BASIC_AUTH_KEYS, problems);
  const authRaw = section(r, values, 'authorization', path, AUTHORIZATION_KEYS, problems);
  if (basicRaw && authRaw) {
    r.problem('authorization', 'cannot be used together with basic_auth (keep one of them)');
    return undefined;
  }
  if (basicRaw) {
    const b = new FieldReader(basicRaw, `${path}.basic_auth`);
    const username = b.string('username');
    if (username === undefined && !b.has('username')) b.problem('username', 'is required with basic_auth');
    const auth: RemoteWriteAuth = { kind: 'basic', username: username ?? '' };
    if (b.has('password') && b.has('password_file')) b.problem('password_file', 'cannot be used together with password (keep one of them)');
    else if (b.has('password')) auth.password = b.string('password');
    else if (b.has('password_file')) auth.passwordFile = b.file('password_file', baseDir).path;
    problems.push(...b.problems);
    return auth;
  }
  if (authRaw) {
    const a = new FieldReader(authRaw, `${path}.authorization`);
    const type = a.string('type', 'Bearer')!;
    if (type.toLowerCase() === 'basic') a.problem('type', 'Basic is not allowed here (use basic_auth)');
    else if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(type)) a.problem('type', `${JSON.stringify(type)} is not a valid scheme (e.g. Bearer)`);
    const auth: RemoteWriteAuth = { kind: 'authorization', type };
    if (a.has('credentials') && a.has('credentials_file')) a.problem('credentials_file', 'cannot be used together with credentials (keep one of them)');
    else if (a.has('credentials')) auth.credentials = a.string('credentials');
    else if (a.has('credentials_file')) auth.credentialsFile = a.file('credentials_file', baseDir).path;
    else a.problem('credentials', 'is required with authorization (or set credentials_file)');
    problems.push(...a.problems);
    return auth;
  }
  return undefined;
}

function readTls(r: FieldReader, values: Record<string, unknown>, path: string, baseDir: string, problems: string[]): RemoteWriteTls {
  const raw = section(r, values, 'tls_config', path, TLS_KEYS, problems);
  if (!raw) return { insecureSkipVerify: false };
  const t = new FieldReader(raw, `${path}.tls_config`);
  const tls: RemoteWriteTls = { insecureSkipVerify: t.boolean('insecure_skip_verify', false) };
  const ca = t.file('ca_file', baseDir);
  const cert = t.file('cert_file', baseDir);
  const key = t.file('key_file', baseDir);
  if (ca.path) [tls.caFile, tls.ca] = [ca.path, ca.text];
  if (cert.path) [tls.certFile, tls.cert] = [cert.path, cert.text];
  if (key.path) [tls.keyFile, tls.key] = [key.path, key.text];
  if (cert.path && !key.path) t.problem('key_file', 'is required with cert_file (the client certificate\'s private key)');
  if (key.path && !cert.path) t.problem('cert_file', 'is required with key_file (the client certificate)');
  const serverName = t.string('server_name');
  if (serverName !== undefined) tls.serverName = serverName;
  problems.push(...t.problems);
  return tls;
}

function readQueue(r: FieldReader, values: Record<string, unknown>, path: string, problems: string[]): RemoteWriteQueueConfig {
  const raw = section(r, values, 'queue_config', path, QUEUE_KEYS, problems) ?? {};
  const q = new FieldReader(raw, `${path}.queue_config`);
  const d = REMOTE_WRITE_DEFAULTS;
  const queue: RemoteWriteQueueConfig = {
    capacity: q.integer('capacity', d.capacity, 1, MAX_INT, `samples held while the receiver is slow or away; default ${d.capacity}`),
    maxSamplesPerSend: q.integer('max_samples_per_send', d.maxSamplesPerSend, 1, MAX_INT, `samples per request; default ${d.maxSamplesPerSend}`),
    batchSendDeadlineMs: positiveDuration(q, 'batch_send_deadline', d.batchSendDeadline, '5s'),
    minBackoffMs: positiveDuration(q, 'min_backoff', d.minBackoff, '30ms'),
    maxBackoffMs: q.duration('max_backoff', d.maxBackoff),
  };
  if (queue.capacity < queue.maxSamplesPerSend) {
    q.problem('capacity', `${queue.capacity} is below max_samples_per_send (${queue.maxSamplesPerSend}); raise capacity or lower max_samples_per_send`);
  }
  if (queue.maxBackoffMs < queue.minBackoffMs) q.problem('max_backoff', `must be at least min_backoff (e.g. min_backoff 30ms, max_backoff 5s)`);
  problems.push(...q.problems);
  return queue;
}

function readEntry(raw: unknown, index: number, baseDir: string, problems: string[]): RemoteWriteConfig | undefined {
  const path = `remote_write[${index}]`;
  if (!isMapping(raw)) {
    problems.push(`${path}: must be a mapping with at least a url (e.g. "- url: https://prometheus.example.com/api/v1/write")`);
    return undefined;
  }
  unknownFields(raw, ENTRY_KEYS, path, problems);
  const r = new FieldReader(raw, path);
  // The entry's own fields first, then its sections', in the order they are written in the docs.
  const nested: string[] = [];
  const { url, derivedName } = readUrl(r);
  const name = r.string('name', derivedName) ?? derivedName;
  const headers = readHeaders(r, raw);
  const auth = readAuth(r, raw, path, baseDir, nested);
  const tls = readTls(r, raw, path, baseDir, nested);
  const remoteTimeoutMs = positiveDuration(r, 'remote_timeout', REMOTE_WRITE_DEFAULTS.remoteTimeout, '30s');
  const queue = readQueue(r, raw, path, nested);
  let relabel: CompiledRules = { rules: [], source: [] };
  try {
    relabel = compileRelabelConfigs(raw.write_relabel_configs, `${path}.write_relabel_configs`);
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    nested.push(...err.problems);
  }
  problems.push(...r.problems, ...nested);
  const config: RemoteWriteConfig = { name, url, headers, tls, remoteTimeoutMs, relabel, queue };
  if (auth) config.auth = auth;
  return config;
}

/** Reads the `remote_write:` value (a list, or undefined/null for none). Relative paths resolve against baseDir. */
export function readRemoteWrite(raw: unknown, baseDir: string): { remoteWrite: RemoteWriteConfig[]; problems: string[] } {
  if (raw === undefined || raw === null) return { remoteWrite: [], problems: [] };
  if (!Array.isArray(raw)) {
    return { remoteWrite: [], problems: ['remote_write: must be a list (write each receiver as a "- url: ..." list item)'] };
  }
  const problems: string[] = [];
  const remoteWrite: RemoteWriteConfig[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item: unknown, index) => {
    const entry = readEntry(item, index, baseDir, problems);
    if (!entry) return;
    const first = seen.get(entry.name);
    if (entry.name !== '' && first !== undefined) {
      problems.push(`remote_write[${index}].name: ${JSON.stringify(entry.name)} is already used by remote_write[${first}] (give each entry a distinct name)`);
    } else seen.set(entry.name, index);
    remoteWrite.push(entry);
  });
  return { remoteWrite: problems.length > 0 ? [] : remoteWrite, problems };
}
