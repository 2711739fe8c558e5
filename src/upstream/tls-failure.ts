/**
 * TLS failures in words: "cannot reach HOST (EPROTO)" sends people to check the network, when the fix is the
 * URL's scheme or a CA file. Node's error codes (tls and OpenSSL's X509 verify codes) → what failed and the
 * fix. The reason stays `network` (the bounded set of `fetch_failures_total{reason}` does not change); the
 * message says TLS.
 */

const UNTRUSTED =
  'it is not signed by a CA this machine trusts; add that CA with ' +
  'upstream.tls_config.ca_file (a TLS-inspecting proxy has its own)';

const ADVICE: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID:
    'the certificate does not name this host; use the host name the certificate was issued for in upstream.url',
  DEPTH_ZERO_SELF_SIGNED_CERT: `the certificate is self-signed: ${UNTRUSTED}`,
  SELF_SIGNED_CERT_IN_CHAIN: UNTRUSTED,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
  CERT_HAS_EXPIRED: "the certificate has expired; renew it (or check this machine's clock)",
  CERT_NOT_YET_VALID: "the certificate is not valid yet; check this machine's clock",
  ERR_SSL_WRONG_VERSION_NUMBER:
    'the server did not answer TLS: is it an http port? Use http:// for a ' +
    'plain-http endpoint on loopback, or the https port',
  EPROTO: "the TLS handshake failed (often https:// to a plain-http port); check upstream.url's scheme and port",
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'no TLS version in common with the server',
};

/** A message for a TLS failure, or undefined when `code` is not one. */
export function tlsFailure(host: string, code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const advice =
    ADVICE[code] ??
    (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT')
      ? 'the TLS handshake failed'
      : undefined);
  return advice === undefined ? undefined : `TLS: cannot connect securely to ${host} (${code}): ${advice}`;
}
