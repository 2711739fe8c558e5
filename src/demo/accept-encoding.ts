/**
 * Content negotiation for gzip, per RFC 9110 §12.5.3: `gzip` (or its alias `x-gzip`) with a non-zero
 * q-value allows it; failing an explicit entry, `*` with a non-zero q-value allows it; `q=0` forbids.
 */

function qValue(params: string[]): number {
  for (const param of params) {
    const [name, value] = param.split('=').map((part) => part.trim());
    if (name?.toLowerCase() === 'q') {
      const q = Number(value);
      return Number.isFinite(q) ? q : 0;
    }
  }
  return 1;
}

/** True when a response may be gzip-encoded for this `Accept-Encoding` header. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let explicit: number | undefined;
  let wildcard: number | undefined;
  for (const entry of header.split(',')) {
    const [coding = '', ...params] = entry.split(';');
    const name = coding.trim().toLowerCase();
    if (name === 'gzip' || name === 'x-gzip') explicit = Math.max(explicit ?? 0, qValue(params));
    else if (name === '*') wildcard = qValue(params);
  }
  if (explicit !== undefined) return explicit > 0;
  return wildcard !== undefined && wildcard > 0;
}
