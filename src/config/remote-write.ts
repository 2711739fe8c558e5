/**
 * The `remote_write:` list, with Prometheus's field names (config/config.go RemoteWriteConfig,
 * common/config HTTPClientConfig): every problem of every entry is reported with its path and the fix.
 * Secret files are checked here (readable) but read again before each request, so a rotated password or
 * token works without a reload.
 */
import { Decoder } from '../decode/index.js';
import { compileRelabelConfigs, RelabelConfigError, type CompiledRules } from '../relabel/index.js';

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
 * Defaults sized for an organization of 250,000 series pushed once a minute, sent one request at a time
 * (Prometheus has up to 50 parallel shards; the bridge has one connection per remote):
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
  remoteTimeoutMs: 30_000,
  capacity: 1_000_000,
  maxSamplesPerSend: 5_000,
  batchSendDeadlineMs: 5_000,
  minBackoffMs: 30,
  maxBackoffMs: 5_000,
} as const;

const ENTRY_KEYS = [
  'url',
  'name',
  'headers',
  'basic_auth',
  'authorization',
  'tls_config',
  'remote_timeout',
  'write_relabel_configs',
  'queue_config',
];
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

/**
 * The section at `key` of an entry, or undefined when it is not set or not a mapping (a problem of the entry).
 * Its unknown keys and its fields' problems go to `nested`: they are reported after the entry's own.
 */
function section(entry: Decoder, key: string, known: readonly string[], nested: string[]): Decoder | undefined {
  const d = entry.at(key);
  if (!d.isSet) return undefined;
  if (!d.isMapping()) {
    d.problem(`must be a mapping with fields ${known.join(', ')}`);
    return undefined;
  }
  const inner = d.reportingTo(nested);
  inner.mapping(known, 'a mapping');
  return inner;
}

function decodeUrl(d: Decoder): { url: string; derivedName: string } {
  if (!d.isSet) {
    d.problem("is required (the receiver's write endpoint, e.g. https://prometheus.example.com/api/v1/write)");
    return { url: '', derivedName: '' };
  }
  const { text, url } = d.url(undefined, {
    example: 'https://prometheus.example.com/api/v1/write',
    schemes: 'use https:// or http://',
    credentials: 'move them to basic_auth.username and basic_auth.password_file',
  });
  return { url: text, derivedName: url ? `${url.host}${url.pathname}` : '' };
}

function decodeHeaders(d: Decoder): Record<string, string> {
  return d.textMap('a mapping of header name to value (e.g. X-Scope-OrgID: tenant-1)', (name, value) => {
    if (RESERVED.has(name.toLowerCase())) {
      const fix = name.toLowerCase() === 'authorization' ? 'use basic_auth or authorization' : 'the sender sets it';
      value.problem(`is a reserved header and cannot be set (${fix})`);
    } else if (!HEADER_NAME.test(name)) value.problem('is not a valid HTTP header name (letters, digits and -_. only)');
    else if (typeof value.value !== 'string' || /[\r\n]/.test(value.value))
      value.problem('must be a string on one line');
    else return value.value;
    return undefined;
  });
}

function decodeAuth(entry: Decoder, baseDir: string, nested: string[]): RemoteWriteAuth | undefined {
  const b = section(entry, 'basic_auth', BASIC_AUTH_KEYS, nested);
  const a = section(entry, 'authorization', AUTHORIZATION_KEYS, nested);
  if (b && a) {
    entry.at('authorization').problem('cannot be used together with basic_auth (keep one of them)');
    return undefined;
  }
  if (b) {
    const username = b.at('username').string();
    if (username === undefined && !b.at('username').isSet) b.at('username').problem('is required with basic_auth');
    const auth: RemoteWriteAuth = { kind: 'basic', username: username ?? '' };
    const [password, passwordFile] = [b.at('password'), b.at('password_file')];
    if (password.isSet && passwordFile.isSet)
      passwordFile.problem('cannot be used together with password (keep one of them)');
    else if (password.isSet) auth.password = password.string();
    else if (passwordFile.isSet) auth.passwordFile = passwordFile.file(baseDir).path;
    return auth;
  }
  if (a) {
    const type = a.at('type').string('Bearer')!;
    if (type.toLowerCase() === 'basic') a.at('type').problem('Basic is not allowed here (use basic_auth)');
    else if (!HEADER_NAME.test(type))
      a.at('type').problem(`${JSON.stringify(type)} is not a valid scheme (e.g. Bearer)`);
    const auth: RemoteWriteAuth = { kind: 'authorization', type };
    const [credentials, credentialsFile] = [a.at('credentials'), a.at('credentials_file')];
    if (credentials.isSet && credentialsFile.isSet)
      credentialsFile.problem('cannot be used together with credentials (keep one of them)');
    else if (credentials.isSet) auth.credentials = credentials.string();
    else if (credentialsFile.isSet) auth.credentialsFile = credentialsFile.file(baseDir).path;
    else credentials.problem('is required with authorization (or set credentials_file)');
    return auth;
  }
  return undefined;
}

function decodeTls(entry: Decoder, baseDir: string, nested: string[]): RemoteWriteTls {
  const t = section(entry, 'tls_config', TLS_KEYS, nested);
  if (!t) return { insecureSkipVerify: false };
  const tls: RemoteWriteTls = { insecureSkipVerify: t.at('insecure_skip_verify').boolean(false) };
  const ca = t.at('ca_file').file(baseDir);
  const cert = t.at('cert_file').file(baseDir);
  const key = t.at('key_file').file(baseDir);
  if (ca.path) [tls.caFile, tls.ca] = [ca.path, ca.text];
  if (cert.path) [tls.certFile, tls.cert] = [cert.path, cert.text];
  if (key.path) [tls.keyFile, tls.key] = [key.path, key.text];
  if (cert.path && !key.path)
    t.at('key_file').problem("is required with cert_file (the client certificate's private key)");
  if (key.path && !cert.path) t.at('cert_file').problem('is required with key_file (the client certificate)');
  const serverName = t.at('server_name').string();
  if (serverName !== undefined) tls.serverName = serverName;
  return tls;
}

function decodeQueue(entry: Decoder, nested: string[]): RemoteWriteQueueConfig {
  const q = section(entry, 'queue_config', QUEUE_KEYS, nested) ?? new Decoder({}, `${entry.path}.queue_config`, nested);
  const d = REMOTE_WRITE_DEFAULTS;
  const queue: RemoteWriteQueueConfig = {
    capacity: q
      .at('capacity')
      .integer(d.capacity, 1, MAX_INT, `samples held while the receiver is slow or away; default ${d.capacity}`),
    maxSamplesPerSend: q
      .at('max_samples_per_send')
      .integer(d.maxSamplesPerSend, 1, MAX_INT, `samples per request; default ${d.maxSamplesPerSend}`),
    batchSendDeadlineMs: q.at('batch_send_deadline').positiveDuration(d.batchSendDeadlineMs, '5s'),
    minBackoffMs: q.at('min_backoff').positiveDuration(d.minBackoffMs, '30ms'),
    maxBackoffMs: q.at('max_backoff').duration(d.maxBackoffMs),
  };
  validateQueue(q, queue);
  return queue;
}

function validateQueue(q: Decoder, queue: RemoteWriteQueueConfig): void {
  if (queue.capacity < queue.maxSamplesPerSend) {
    q.at('capacity').problem(
      `${queue.capacity} is below max_samples_per_send (${queue.maxSamplesPerSend}); ` +
        `raise capacity or lower max_samples_per_send`,
    );
  }
  if (queue.maxBackoffMs < queue.minBackoffMs)
    q.at('max_backoff').problem('must be at least min_backoff (e.g. min_backoff 30ms, max_backoff 5s)');
}

function decodeEntry(entry: Decoder, baseDir: string): RemoteWriteConfig | undefined {
  if (!entry.isMapping()) {
    entry.problem('must be a mapping with at least a url (e.g. "- url: https://prometheus.example.com/api/v1/write")');
    return undefined;
  }
  entry.mapping(ENTRY_KEYS, 'a mapping');
  // The entry's own fields first, then its sections', in the order they are written in the docs.
  const nested: string[] = [];
  const { url, derivedName } = decodeUrl(entry.at('url'));
  const name = entry.at('name').string(derivedName) ?? derivedName;
  const headers = decodeHeaders(entry.at('headers'));
  const auth = decodeAuth(entry, baseDir, nested);
  const tls = decodeTls(entry, baseDir, nested);
  const remoteTimeoutMs = entry.at('remote_timeout').positiveDuration(REMOTE_WRITE_DEFAULTS.remoteTimeoutMs, '30s');
  const queue = decodeQueue(entry, nested);
  let relabel: CompiledRules = { rules: [], source: [] };
  try {
    relabel = compileRelabelConfigs(entry.at('write_relabel_configs').value, `${entry.path}.write_relabel_configs`);
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    nested.push(...err.problems);
  }
  entry.problems.push(...nested);
  const config: RemoteWriteConfig = { name, url, headers, tls, remoteTimeoutMs, relabel, queue };
  if (auth) config.auth = auth;
  return config;
}

/** The `remote_write:` list (not set: none); every entry is kept only when the whole list is good. */
export function decodeRemoteWrite(d: Decoder, baseDir: string): RemoteWriteConfig[] {
  if (!d.isSet) return [];
  if (!Array.isArray(d.value)) {
    d.problem('must be a list (write each receiver as a "- url: ..." list item)');
    return [];
  }
  const before = d.count;
  const remoteWrite: RemoteWriteConfig[] = [];
  const seen = new Map<string, number>();
  d.items().forEach((item, index) => {
    const entry = decodeEntry(item, baseDir);
    if (!entry) return;
    const first = seen.get(entry.name);
    if (entry.name !== '' && first !== undefined) {
      item
        .at('name')
        .problem(
          `${JSON.stringify(entry.name)} is already used by remote_write[${first}] (give each entry a distinct name)`,
        );
    } else seen.set(entry.name, index);
    remoteWrite.push(entry);
  });
  return d.count > before ? [] : remoteWrite;
}

/** Reads a `remote_write:` value on its own; relative paths resolve against baseDir. */
export function readRemoteWrite(
  raw: unknown,
  baseDir: string,
): { remoteWrite: RemoteWriteConfig[]; problems: string[] } {
  const d = new Decoder(raw, 'remote_write');
  const remoteWrite = decodeRemoteWrite(d, baseDir);
  return { remoteWrite, problems: d.problems };
}
