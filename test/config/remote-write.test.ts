import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readRemoteWrite, REMOTE_WRITE_DEFAULTS } from '../../src/config/remote-write.js';

const dir = resolve(__dirname, '../testdata/remotewrite');

function problemsOf(raw: unknown): string[] {
  return readRemoteWrite(raw, dir).problems;
}

describe('readRemoteWrite', () => {
  it('reads no list as no remotes', () => {
    expect(readRemoteWrite(undefined, dir)).toEqual({ remoteWrite: [], problems: [] });
    expect(readRemoteWrite(null, dir)).toEqual({ remoteWrite: [], problems: [] });
  });

  it('applies the defaults and derives the name from the URL without userinfo or query', () => {
    const { remoteWrite, problems } = readRemoteWrite(
      [{ url: 'https://prom.example.com:9090/api/v1/write?tenant=a' }],
      dir,
    );
    expect(problems).toEqual([]);
    expect(remoteWrite).toEqual([
      {
        name: 'prom.example.com:9090/api/v1/write',
        url: 'https://prom.example.com:9090/api/v1/write?tenant=a',
        headers: {},
        tls: { insecureSkipVerify: false },
        remoteTimeoutMs: 30_000,
        relabel: { rules: [], source: [] },
        queue: {
          capacity: 1_000_000,
          maxSamplesPerSend: 5_000,
          batchSendDeadlineMs: 5_000,
          minBackoffMs: 30,
          maxBackoffMs: 5_000,
        },
      },
    ]);
    expect(REMOTE_WRITE_DEFAULTS.capacity).toBe(1_000_000);
  });

  it('reads every field of a full config, resolving files against the config folder', () => {
    const raw = parse(readFileSync(resolve(dir, 'valid-full.yml'), 'utf8')) as { remote_write: unknown };
    const { remoteWrite, problems } = readRemoteWrite(raw.remote_write, dir);
    expect(problems).toEqual([]);
    const [mimir, vm] = remoteWrite;
    expect(mimir).toMatchObject({
      name: 'mimir',
      headers: { 'X-Scope-OrgID': 'tenant-1' },
      auth: { kind: 'basic', username: '123456', passwordFile: resolve(dir, 'secrets/password') },
      tls: { serverName: 'mimir.internal', insecureSkipVerify: false },
      remoteTimeoutMs: 10_000,
      queue: {
        capacity: 200_000,
        maxSamplesPerSend: 2_000,
        batchSendDeadlineMs: 2_000,
        minBackoffMs: 100,
        maxBackoffMs: 10_000,
      },
    });
    expect(mimir!.relabel.rules).toHaveLength(1);
    expect(vm).toMatchObject({
      name: '127.0.0.1:8428/api/v1/write',
      auth: { kind: 'authorization', type: 'Bearer', credentialsFile: resolve(dir, 'secrets/token') },
    });
  });

  it.each<[string, unknown, string[]]>([
    [
      'not a list',
      { url: 'https://x/y' },
      ['remote_write: must be a list (write each receiver as a "- url: ..." list item)'],
    ],
    [
      'an entry that is not a mapping',
      ['https://x/y'],
      [
        'remote_write[0]: must be a mapping with at least a url (e.g. "- url: ' +
          'https://prometheus.example.com/api/v1/write")',
      ],
    ],
    [
      'no url',
      [{}],
      [
        "remote_write[0].url: is required (the receiver's write endpoint, e.g. " +
          'https://prometheus.example.com/api/v1/write)',
      ],
    ],
    [
      'another scheme',
      [{ url: 'ftp://x/y' }],
      ['remote_write[0].url: scheme ftp: is not supported (use https:// or http://)'],
    ],
    [
      'not a URL',
      [{ url: 'not a url' }],
      ['remote_write[0].url: "not a url" is not a URL (e.g. https://prometheus.example.com/api/v1/write)'],
    ],
    [
      'credentials in the URL',
      [{ url: 'https://user:pw@x/y' }],
      [
        'remote_write[0].url: must not carry credentials (move them to ' +
          'basic_auth.username and basic_auth.password_file)',
      ],
    ],
    [
      'unknown fields at every level',
      [{ url: 'https://x/y', urll: 1, basic_auth: { username: 'u', pasword: 'p' }, queue_config: { max_shards: 3 } }],
      [
        'remote_write[0].urll: unknown field (did you mean "url"?)',
        'remote_write[0].basic_auth.pasword: unknown field (did you mean "password"?)',
        'remote_write[0].queue_config.max_shards: unknown field (known fields: ' +
          'capacity, max_samples_per_send, batch_send_deadline, min_backoff, max_backoff)',
      ],
    ],
    [
      'reserved and malformed headers',
      [
        {
          url: 'https://x/y',
          headers: {
            Authorization: 'x',
            'content-type': 'y',
            'X-Prometheus-Remote-Write-Version': 'z',
            'bad header': 'v',
            'X-Ok': 3,
            'X-Scope-OrgID': 't',
          },
        },
      ],
      [
        'remote_write[0].headers.Authorization: is a reserved header and ' +
          'cannot be set (use basic_auth or authorization)',
        'remote_write[0].headers.content-type: is a reserved header and cannot be set (the sender sets it)',
        'remote_write[0].headers.X-Prometheus-Remote-Write-Version: is a ' +
          'reserved header and cannot be set (the sender sets it)',
        'remote_write[0].headers.bad header: is not a valid HTTP header name (letters, digits and -_. only)',
        'remote_write[0].headers.X-Ok: must be a string on one line',
      ],
    ],
    [
      'basic_auth and authorization together',
      [{ url: 'https://x/y', basic_auth: { username: 'u', password: 'p' }, authorization: { credentials: 'c' } }],
      ['remote_write[0].authorization: cannot be used together with basic_auth (keep one of them)'],
    ],
    [
      'basic_auth without username, with both password forms',
      [{ url: 'https://x/y', basic_auth: { password: 'p', password_file: 'f' } }],
      [
        'remote_write[0].basic_auth.username: is required with basic_auth',
        'remote_write[0].basic_auth.password_file: cannot be used together with password (keep one of them)',
      ],
    ],
    [
      'authorization of type Basic, without credentials',
      [{ url: 'https://x/y', authorization: { type: 'Basic' } }],
      [
        'remote_write[0].authorization.type: Basic is not allowed here (use basic_auth)',
        'remote_write[0].authorization.credentials: is required with authorization (or set credentials_file)',
      ],
    ],
    [
      'an unreadable credentials_file',
      [{ url: 'https://x/y', authorization: { credentials_file: 'missing' } }],
      [
        `remote_write[0].authorization.credentials_file: cannot read ` +
          `${resolve(dir, 'missing')} (ENOENT); check the path`,
      ],
    ],
    [
      'tls files missing or unpaired',
      [{ url: 'https://x/y', tls_config: { ca_file: 'nope.pem', cert_file: 'secrets/token' } }],
      [
        `remote_write[0].tls_config.ca_file: cannot read ${resolve(dir, 'nope.pem')} (ENOENT); check the path`,
        "remote_write[0].tls_config.key_file: is required with cert_file (the client certificate's private key)",
      ],
    ],
    [
      'a zero remote_timeout',
      [{ url: 'https://x/y', remote_timeout: '0' }],
      ['remote_write[0].remote_timeout: must be above 0 (e.g. 30s)'],
    ],
    [
      'bad queue values',
      [
        {
          url: 'https://x/y',
          queue_config: {
            capacity: 10,
            max_samples_per_send: 100,
            batch_send_deadline: '0',
            min_backoff: 5,
            max_backoff: '1m',
          },
        },
      ],
      [
        'remote_write[0].queue_config.batch_send_deadline: must be above 0 (e.g. 5s)',
        'remote_write[0].queue_config.min_backoff: 5 is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)',
        'remote_write[0].queue_config.capacity: 10 is below ' +
          'max_samples_per_send (100); raise capacity or lower ' +
          'max_samples_per_send',
      ],
    ],
    [
      'capacity not a whole number, max_backoff below min_backoff',
      [{ url: 'https://x/y', queue_config: { capacity: 1.5, min_backoff: '1s', max_backoff: '500ms' } }],
      [
        'remote_write[0].queue_config.capacity: 1.5 is not a whole number from ' +
          '1 to 2147483647 (samples held while the receiver is slow or away; default 1000000)',
        'remote_write[0].queue_config.max_backoff: must be at least ' +
          'min_backoff (e.g. min_backoff 30ms, max_backoff 5s)',
      ],
    ],
    [
      'a queue_config that is not a mapping',
      [{ url: 'https://x/y', queue_config: 'big' }],
      [
        'remote_write[0].queue_config: must be a mapping with fields capacity, ' +
          'max_samples_per_send, batch_send_deadline, min_backoff, max_backoff',
      ],
    ],
    [
      'invalid write_relabel_configs, with their own path',
      [{ url: 'https://x/y', write_relabel_configs: [{ action: 'hashmod', target_label: 'shard' }] }],
      [
        'remote_write[0].write_relabel_configs[0].modulus: relabel ' +
          'configuration for hashmod requires non-zero modulus (set modulus to ' +
          'the number of shards, e.g. modulus: 8)',
      ],
    ],
    [
      'two entries with the same derived name',
      [{ url: 'https://x/y' }, { url: 'https://x/y?tenant=2' }],
      ['remote_write[1].name: "x/y" is already used by remote_write[0] (give each entry a distinct name)'],
    ],
  ])('reports %s with its path and the fix', (_case, raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });

  it('returns no remotes when any entry has a problem (nothing is half-applied)', () => {
    expect(readRemoteWrite([{ url: 'https://ok/write' }, { url: 'ftp://x' }], dir).remoteWrite).toEqual([]);
  });

  it('never echoes a URL that may hold a password', () => {
    const problems = problemsOf([{ url: 'https://user:s3cret@ho st/write' }]);
    expect(problems).toEqual([
      'remote_write[0].url: the value is not a URL (e.g. https://prometheus.example.com/api/v1/write)',
    ]);
  });
});
