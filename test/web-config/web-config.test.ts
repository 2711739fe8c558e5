/** loadWebConfig: the fixtures in test/testdata/web-config/, every refusal pinned to its exact message. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWebConfig, WebConfigError, type WebConfig } from '../../src/web-config/web-config.js';

const dir = fileURLToPath(new URL('../testdata/web-config/', import.meta.url));
const fixture = (name: string) => join(dir, name);
const HTPASSWD = `(generate one with: htpasswd -nBC 10 "" | tr -d ':\\n')`;
const CLIENT_AUTH_TYPES =
  'NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert';

function problemsOf(path: string): string[] {
  try {
    loadWebConfig(path);
  } catch (err) {
    expect(err).toBeInstanceOf(WebConfigError);
    expect((err as WebConfigError).name).toBe('WebConfigError');
    expect((err as Error).message).toBe((err as WebConfigError).lines().join('\n'));
    return (err as WebConfigError).lines();
  }
  throw new Error(`${path} loaded, but a WebConfigError was expected`);
}

describe('valid web config files', () => {
  it.each<[string, (c: WebConfig) => void]>([
    [
      'valid-empty.yml',
      (c) => {
        expect(c.tls).toBeUndefined();
        expect(c.headers).toEqual({});
        expect(c.users.size).toBe(0);
      },
    ],
    [
      'valid-tls.yml',
      (c) => {
        expect(c.tls).toMatchObject({
          clientAuth: 'NoClientCert',
          minVersion: 'TLS12',
          maxVersion: 'TLS13',
          clientCa: undefined,
        });
        expect(c.tls?.cert).toBe(readFileSync(fixture('server.crt'), 'utf8'));
        expect(c.tls?.key.reveal()).toBe(readFileSync(fixture('server.key'), 'utf8'));
      },
    ],
    [
      'valid-client-cert.yml',
      (c) => {
        expect(c.tls).toMatchObject({
          clientAuth: 'RequireAndVerifyClientCert',
          minVersion: 'TLS13',
          maxVersion: 'TLS13',
        });
        expect(c.tls?.clientCa).toBe(readFileSync(fixture('ca.crt'), 'utf8'));
      },
    ],
    [
      'valid-basic-auth-headers.yml',
      (c) => {
        expect(c.tls).toBeUndefined();
        // A blank value means "unset" (exporter-toolkit's docs/web-configuration.md).
        expect(c.headers).toEqual({ 'X-Frame-Options': 'sameorigin', 'Strict-Transport-Security': 'max-age=31536000' });
        expect([...c.users.keys()]).toEqual(['alice', 'bob']);
        expect(c.users.get('alice')?.reveal()).toMatch(/^\$2y\$04\$/);
      },
    ],
    [
      'valid-full.yml',
      (c) => {
        expect(c.tls).toMatchObject({
          clientAuth: 'VerifyClientCertIfGiven',
          minVersion: 'TLS12',
          maxVersion: 'TLS13',
        });
        expect(c.headers).toEqual({ 'X-Content-Type-Options': 'nosniff' });
        expect([...c.users.keys()]).toEqual(['prometheus']);
      },
    ],
  ])('%s', (name, check) => {
    const config = loadWebConfig(fixture(name));
    expect(config.origin).toBe(fixture(name));
    check(config);
  });

  describe('inline cert and key, and the RequireClientCert alias', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bridge-web-config-inline-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    const cert = readFileSync(fixture('server.crt'), 'utf8');
    const key = readFileSync(fixture('server.key'), 'utf8');
    const indent = (pem: string) => pem.trimEnd().replace(/^/gm, '    ');
    const file = join(tmp, 'inline.yml');
    writeFileSync(
      file,
      `tls_server_config:\n  cert: |\n${indent(cert)}\n  key: |\n${indent(key)}\n ` +
        ` client_auth_type: RequireClientCert\n`,
    );
    const config = loadWebConfig(file);

    it('reads the PEMs from the YAML', () => {
      expect(config.tls?.cert.trim()).toBe(cert.trim());
      expect(config.tls?.key.reveal().trim()).toBe(key.trim());
      expect(config.tls?.clientAuth).toBe('RequireAnyClientCert');
    });

    it('never prints the key or a password hash', () => {
      const body = key.split('\n')[1]!;
      const withUsers = loadWebConfig(fixture('valid-full.yml'));
      const hash = withUsers.users.get('prometheus')!.reveal();
      for (const text of [
        JSON.stringify(config),
        inspect(config, { depth: 10 }),
        String(config.tls?.key),
        inspect(withUsers, { depth: 10 }),
        JSON.stringify(withUsers),
      ]) {
        expect(text).not.toContain(body);
        expect(text).not.toContain(hash);
      }
      expect(inspect(config.tls?.key)).toBe('<secret>');
    });
  });
});

describe('invalid web config files: every problem at once, each pinned', () => {
  const at = (name: string) => `web config ${fixture(name)}: `;
  it.each<[string, string[]]>([
    [
      'invalid-unknown-field.yml',
      [
        'basic_auth_user: unknown field (did you mean "basic_auth_users"?)',
        'tls_server_config.cert_fiel: unknown field (did you mean "cert_file"?)',
      ],
    ],
    [
      'invalid-unsupported-field.yml',
      [
        'rate_limit: not supported by the bridge (put a rate limit in front of the bridge, or remove it)',
        "tls_server_config.cipher_suites: not supported by the bridge (Node's OpenSSL defaults are used; remove it)",
      ],
    ],
    [
      'invalid-missing-key-file.yml',
      [
        'tls_server_config.key_file: missing while cert_file is set (set ' +
          "key_file to the server key's path, or key to the PEM inline)",
      ],
    ],
    [
      'invalid-unreadable-cert-file.yml',
      [
        `tls_server_config.cert_file: cannot read ${fixture('no-such.crt')}: ` +
          `ENOENT (check the path; a relative path starts at the web config ` +
          `file's folder)`,
      ],
    ],
    [
      'invalid-cert-file-directory.yml',
      [
        `tls_server_config.cert_file: cannot read ${dir.replace(/\/$/, '')}: ` +
          `EISDIR (check the path; a relative path starts at the web config ` +
          `file's folder)`,
      ],
    ],
    [
      'invalid-client-auth-type.yml',
      [
        `tls_server_config.client_auth_type: "RequireAndVerify" is not a ` +
          `client auth type (use one of ${CLIENT_AUTH_TYPES})`,
      ],
    ],
    [
      'invalid-min-version.yml',
      ['tls_server_config.min_version: "TLS1.2" is not a TLS version (use one of TLS10, TLS11, TLS12, TLS13)'],
    ],
    [
      'invalid-min-above-max.yml',
      ['tls_server_config.min_version: TLS13 is above max_version TLS12 (lower min_version or raise max_version)'],
    ],
    [
      'invalid-client-ca-required.yml',
      [
        'tls_server_config.client_ca_file: required by client_auth_type ' +
          'RequireAndVerifyClientCert (set it to the CA that signs the client certificates)',
      ],
    ],
    [
      'invalid-client-ca-without-auth.yml',
      [
        'tls_server_config.client_ca_file: set while client_auth_type is ' +
          'NoClientCert (set client_auth_type: RequireAndVerifyClientCert, or remove it)',
      ],
    ],
    [
      'invalid-not-bcrypt.yml',
      [
        `basic_auth_users.alice: is not a bcrypt hash ${HTPASSWD}`,
        `basic_auth_users.carol: is not a bcrypt hash ${HTPASSWD}`,
        'basic_auth_users.dave:ops: a user name cannot contain ":" (rename the user)',
      ],
    ],
    [
      'invalid-key-mismatch.yml',
      [
        `tls_server_config.key_file: ${fixture('other.key')} does not match ` +
          `the certificate in tls_server_config.cert_file (use the key the ` +
          `certificate was issued for)`,
      ],
    ],
    [
      'invalid-not-a-certificate.yml',
      [
        `tls_server_config.cert_file: ${fixture('server.key')} has no PEM ` +
          `certificate (expected a -----BEGIN CERTIFICATE----- block)`,
        `tls_server_config.key_file: ${fixture('server.crt')} is not a PEM ` +
          `private key (expected a -----BEGIN PRIVATE KEY----- block)`,
      ],
    ],
    [
      'invalid-cert-and-cert-file.yml',
      ['tls_server_config.cert: set together with cert_file (keep one: cert_file for a file, cert for the PEM inline)'],
    ],
    [
      'invalid-headers.yml',
      [
        'http_server_config.http2: must be true or false',
        'http_server_config.headers.X-Frame-Options: "allow-from" is not allowed (use one of deny, sameorigin)',
        'http_server_config.headers.Server: this header cannot be configured ' +
          '(allowed: Strict-Transport-Security, X-Content-Type-Options, ' +
          'X-Frame-Options, X-XSS-Protection, Content-Security-Policy)',
      ],
    ],
    ['invalid-not-a-mapping.yml', ['(top level): must be a mapping (e.g. tls_server_config: {...})']],
    [
      'invalid-yaml-syntax.yml',
      [
        'line 3 column 4: YAML syntax error (Nested mappings are not allowed in compact mappings)',
        'line 3 column 4: YAML syntax error (Implicit keys need to be on a single line)',
      ],
    ],
    [
      'invalid-many-problems.yml',
      [
        `tls_server_config.client_auth_type: "Always" is not a client auth type (use one of ${CLIENT_AUTH_TYPES})`,
        'tls_server_config.min_version: "SSL3" is not a TLS version (use one of TLS10, TLS11, TLS12, TLS13)',
        'tls_server_config.key_file: missing while cert_file is set (set ' +
          "key_file to the server key's path, or key to the PEM inline)",
        'http_server_config.headers.X-Frame-Options: "DENY" is not allowed (use one of deny, sameorigin)',
        `basic_auth_users.alice: is not a bcrypt hash ${HTPASSWD}`,
        `tls_server_config.cert_file: cannot read ${fixture('no-such.crt')}: ` +
          `ENOENT (check the path; a relative path starts at the web config ` +
          `file's folder)`,
      ],
    ],
  ])('%s', (name, expected) => {
    expect(problemsOf(fixture(name))).toEqual(expected.map((p) => at(name) + p));
  });

  it('names an unreadable web config file itself', () => {
    expect(problemsOf(fixture('no-such-web-config.yml'))).toEqual([
      `web config ${fixture('no-such-web-config.yml')}: cannot read the file: ENOENT (check --web.config.file)`,
    ]);
  });

  it('never echoes a rejected hash value or key text', () => {
    expect(problemsOf(fixture('invalid-not-bcrypt.yml')).join('\n')).not.toContain('plain-text-password');
    const keyBody = readFileSync(fixture('server.key'), 'utf8').split('\n')[1]!;
    expect(problemsOf(fixture('invalid-not-a-certificate.yml')).join('\n')).not.toContain(keyBody);
  });
});
