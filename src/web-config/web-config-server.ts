/**
 * The bridge's HTTP(S) server from a web config, and its reload. Go's crypto/tls has a ClientAuthType per
 * config; Node has two switches per connection (requestCert, rejectUnauthorized), so the two policies Node
 * lacks are finished here once the handshake is done:
 *   NoClientCert                no request
 *   RequestClientCert           request; anything (or nothing) accepted
 *   RequireAnyClientCert        request; a connection without a certificate is closed (not verified)
 *   VerifyClientCertIfGiven     request; a certificate given must verify against the client CA
 *   RequireAndVerifyClientCert  request; OpenSSL refuses no certificate, Node closes an unverified one
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Express } from 'express';
import type { ClientAuthType } from './web-config-decode.js';
import { secureContextOptions } from './web-config-tls.js';
import { WebConfigError, type WebConfig } from './web-config.js';

interface ClientAuthSwitches {
  requestCert: boolean;
  rejectUnauthorized: boolean;
}

function switches(type: ClientAuthType): ClientAuthSwitches {
  switch (type) {
    case 'NoClientCert':
      return { requestCert: false, rejectUnauthorized: false };
    case 'RequestClientCert':
    case 'RequireAnyClientCert':
    case 'VerifyClientCertIfGiven':
      return { requestCert: true, rejectUnauthorized: false };
    case 'RequireAndVerifyClientCert':
      return { requestCert: true, rejectUnauthorized: true };
    default: {
      const unreachable: never = type;
      throw new Error(`web config: unknown client_auth_type ${String(unreachable)}`);
    }
  }
}

/** The policy in force per server, read at each handshake so a reload applies to new connections. */
const policies = new WeakMap<TlsServer, ClientAuthType>();

function refused(type: ClientAuthType, socket: TLSSocket): boolean {
  // "If the peer does not provide a certificate, an empty object will be returned." (Node tls docs)
  const given = Object.keys(socket.getPeerCertificate()).length > 0;
  if (type === 'RequireAnyClientCert') return !given;
  if (type === 'VerifyClientCertIfGiven') return given && !socket.authorized;
  return false;
}

function enforceClientAuth(server: TlsServer, type: ClientAuthType): void {
  const first = !policies.has(server);
  policies.set(server, type);
  if (!first) return;
  // Prepended: the connection is closed before the HTTP layer sees a byte of it.
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    if (refused(policies.get(server) ?? 'NoClientCert', socket)) socket.destroy();
  });
}

/** An http.Server, or an https.Server when the config has TLS; not yet listening. */
export function createWebServer(app: Express, config: WebConfig | undefined): Server {
  const tls = config?.tls;
  if (!tls) return createHttpServer(app);
  const server = createHttpsServer({ ...secureContextOptions(tls), ...switches(tls.clientAuth) }, app);
  enforceClientAuth(server, tls.clientAuth);
  return server;
}

/**
 * Applies a reloaded config to a running server: new certificate, key, client CA, versions and client auth
 * policy for new connections (open keep-alive connections keep the handshake they made). Headers and users
 * need nothing here: basicAuth reads them from its getter on every request. Throws WebConfigError, changing
 * nothing, when the reload would switch between HTTP and HTTPS: the server would have to be replaced.
 */
export function applyWebConfig(server: Server, config: WebConfig | undefined): void {
  const tls = config?.tls;
  const isTls = server instanceof TlsServer;
  if (isTls !== (tls !== undefined)) {
    const problem = isTls
      ? 'tls_server_config: HTTPS cannot be turned off by a reload; the server ' +
        'was started with TLS (restart the bridge to serve plain HTTP)'
      : 'tls_server_config: HTTPS cannot be turned on by a reload; the server ' +
        'was started without TLS (restart the bridge to serve HTTPS)';
    throw new WebConfigError(config?.origin, [problem]);
  }
  if (!tls || !(server instanceof TlsServer)) return;
  try {
    server.setSecureContext(secureContextOptions(tls));
  } catch (err) {
    // loadWebConfig made the same secure context already; this is only reachable with a hand-built config.
    throw new WebConfigError(
      config?.origin,
      [`tls_server_config: OpenSSL refused these settings (${(err as Error).message})`],
      { cause: err },
    );
  }
  // tls.Server reads these two fields for every new connection (lib/_tls_wrap.js tlsConnectionListener);
  // setSecureContext does not cover them.
  Object.assign(server, switches(tls.clientAuth));
  enforceClientAuth(server, tls.clientAuth);
}
