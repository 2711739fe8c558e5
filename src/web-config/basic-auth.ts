/**
 * basic_auth_users from the web config, as exporter-toolkit's web/handler.go: when users are configured,
 * every request needs one of them (RFC 7617 Basic), except the liveness probe `/-/healthy`. The config comes
 * from a getter on each request, so a reload changes who is accepted at once. Also sets the configured
 * http_server_config.headers on every response (401s included), which web/handler.go does in the same place.
 * Nothing here logs: neither the password nor the Authorization header can end up in a log line.
 */
import type { Request, RequestHandler, Response } from 'express';
import { PasswordChecker } from './basic-auth-cache.js';
import type { WebConfig } from './web-config.js';

export const BASIC_AUTH_REALM = 'baseten-bridge';

/** Liveness probes (kubelet, systemd) carry no credentials; they learn only that the process is up. */
function exempt(req: Request): boolean {
  return req.path === '/-/healthy' && (req.method === 'GET' || req.method === 'HEAD');
}

/** `Authorization: Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function unauthorized(res: Response): void {
  res.status(401).set('WWW-Authenticate', `Basic realm="${BASIC_AUTH_REALM}"`).type('text').send('Unauthorized.\n');
}

export function basicAuth(current: () => WebConfig | undefined): RequestHandler {
  const checker = new PasswordChecker();
  return async (req, res, next) => {
    const config = current();
    for (const [name, value] of Object.entries(config?.headers ?? {})) res.setHeader(name, value);
    if (!config || config.users.size === 0 || exempt(req)) return next();
    const credentials = parseBasicAuth(req.headers.authorization);
    if (!credentials) return unauthorized(res);
    const hash = config.users.get(credentials.user)?.reveal();
    const decoy = config.users.values().next().value?.reveal();
    if (await checker.check(credentials.user, credentials.password, hash, decoy)) return next();
    unauthorized(res);
  };
}
