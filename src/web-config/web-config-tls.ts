/**
 * Reads and checks the certificate, key and client CA a web config names, at load time: what
 * exporter-toolkit's ConfigToTLSConfig does by loading the key pair once before serving. The key is kept as
 * a Secret and never appears in a problem, not even OpenSSL's view of it.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions, type SecureVersion } from 'node:tls';
import type { ClientAuthType, DecodedTls, PemSource, TlsVersionName } from './web-config-decode.js';
import { Secret } from './web-config-secret.js';

/** The TLS settings of a web config with its files read and checked: what the HTTPS server is given. */
export interface WebTlsConfig {
  /** PEM certificate chain (read from cert_file, or cert inline). */
  readonly cert: string;
  /** PEM private key (read from key_file, or key inline). */
  readonly key: Secret;
  /** PEM CA bundle that signs client certificates (client_ca_file, or client_ca inline). */
  readonly clientCa: string | undefined;
  readonly clientAuth: ClientAuthType;
  readonly minVersion: TlsVersionName;
  readonly maxVersion: TlsVersionName;
}

const NODE_TLS_VERSION: Record<TlsVersionName, SecureVersion> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** `FILE ` for a file, nothing for an inline value: the problem's field already says which. */
function named(source: PemSource): string {
  return 'file' in source ? `${source.file} ` : '';
}

function readPem(source: PemSource, problems: string[]): string | undefined {
  if ('inline' in source) return source.inline;
  try {
    return readFileSync(source.file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    problems.push(
      `${source.field}: cannot read ${source.file}: ${code} (check the path; ` +
        `a relative path starts at the web config file's folder)`,
    );
    return undefined;
  }
}

function certificates(source: PemSource, problems: string[]): { pem: string; first: X509Certificate } | undefined {
  const pem = readPem(source, problems);
  if (pem === undefined) return undefined;
  const blocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    problems.push(
      `${source.field}: ${named(source)}has no PEM certificate (expected a -----BEGIN CERTIFICATE----- block)`,
    );
    return undefined;
  }
  try {
    const parsed = blocks.map((block) => new X509Certificate(block));
    return { pem, first: parsed[0]! };
  } catch (err) {
    problems.push(
      `${source.field}: ${named(source)}holds a certificate that cannot be ` +
        `parsed (${(err as Error).message}; re-export it as PEM)`,
    );
    return undefined;
  }
}

function privateKey(source: PemSource, problems: string[]): { pem: Secret; key: KeyObject } | undefined {
  const pem = readPem(source, problems);
  if (pem === undefined) return undefined;
  try {
    return { pem: new Secret(pem), key: createPrivateKey(pem) };
  } catch (err) {
    // OpenSSL's message is left out on purpose: nothing derived from the key goes into a problem.
    const encrypted = (err as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE';
    problems.push(
      encrypted
        ? `${source.field}: ${named(source)}is encrypted (the bridge needs it ` +
            `without a passphrase: openssl pkey -in KEY -out KEY.plain)`
        : `${source.field}: ${named(source)}is not a PEM private key (expected a -----BEGIN PRIVATE KEY----- block)`,
    );
    return undefined;
  }
}

/** Options for `https.createServer` and `setSecureContext`. */
export function secureContextOptions(tls: WebTlsConfig): SecureContextOptions {
  return {
    cert: tls.cert,
    key: tls.key.reveal(),
    ca: tls.clientCa,
    minVersion: NODE_TLS_VERSION[tls.minVersion],
    maxVersion: NODE_TLS_VERSION[tls.maxVersion],
  };
}

/** Reads what `decoded` names; pushes problems (without the file prefix) and returns undefined if any. */
export function loadTlsMaterial(decoded: DecodedTls, problems: string[]): WebTlsConfig | undefined {
  const before = problems.length;
  const cert = decoded.cert && certificates(decoded.cert, problems);
  const key = decoded.key && privateKey(decoded.key, problems);
  const clientCa = decoded.clientCa && certificates(decoded.clientCa, problems);
  if (cert && key && decoded.key && decoded.cert && !cert.first.checkPrivateKey(key.key)) {
    problems.push(
      `${decoded.key.field}: ${named(decoded.key)}does not match the ` +
        `certificate in ${decoded.cert.field} (use the key the certificate was issued for)`,
    );
  }
  if (problems.length > before || !cert || !key) return undefined;
  const tls: WebTlsConfig = {
    cert: cert.pem,
    key: key.pem,
    clientCa: clientCa?.pem,
    clientAuth: decoded.clientAuth,
    minVersion: decoded.minVersion,
    maxVersion: decoded.maxVersion,
  };
  try {
    // The same call https.createServer and setSecureContext make: what passes here cannot fail there.
    createSecureContext(secureContextOptions(tls));
  } catch (err) {
    problems.push(`tls_server_config: OpenSSL refused these settings (${(err as Error).message})`);
    return undefined;
  }
  return tls;
}
