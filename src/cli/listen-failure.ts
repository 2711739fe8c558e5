/**
 * A listen failure the user can fix (the port is taken, the address is wrong): a ProblemsError, printed as one
 * line with the fix, exit 1 — not "unexpected error", which is kept for bugs.
 */
import { ProblemsError } from '../problems-error.js';

/** Advice for the listen errors people meet, by Node's error code. */
const LISTEN_ADVICE: Record<string, string> = {
  EADDRINUSE: 'another process already listens there; stop it, or choose another port with --web.listen-address',
  EACCES: 'ports below 1024 need privileges; choose a port above 1024 with --web.listen-address',
  EADDRNOTAVAIL: 'no interface of this machine has that address; use :PORT or 127.0.0.1:PORT',
  ENOTFOUND: 'the host name does not resolve; use :PORT or an IP address',
};

export function listenFailure(address: string, err: unknown): ProblemsError {
  const code =
    (err as { cause?: { code?: string } } | null)?.cause?.code ??
    /\((E[A-Z]+)\)/.exec(err instanceof Error ? err.message : '')?.[1];
  const advice = code ? LISTEN_ADVICE[code] : undefined;
  const detail = err instanceof Error ? err.message : String(err);
  return advice
    ? new ProblemsError('--web.listen-address', [`cannot listen on ${address} (${code}): ${advice}`], { cause: err })
    : new ProblemsError('', [detail], { cause: err });
}
