/**
 * The one rule for a key's parts: `abcdefgh.secret` has the public part `abcdefgh` (Baseten's UI and CLI
 * identify a key by it alone) and the secret part `secret`. A key without a dot, or with a dot past 32
 * characters, has no public part: nothing of it may be shown.
 */
export function keyPublicPart(key: string): string {
  const dot = key.indexOf('.');
  return dot > 0 && dot <= 32 ? key.slice(0, dot) : '';
}

/** What follows the key's dot (`''` without one). */
export function keySecretPart(key: string): string {
  const dot = key.indexOf('.');
  return dot > 0 ? key.slice(dot + 1) : '';
}

/** `abcdefgh.secret` → `abcdefgh.***`, how every log line and page names a key. */
export function keyPrefix(key: string): string {
  const id = keyPublicPart(key);
  return id !== '' ? `${id}.***` : '***';
}
