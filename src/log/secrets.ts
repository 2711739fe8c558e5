import { KeyScan } from './key-scan.js';
import { keyPrefix, keySecretPart } from './key-parts.js';

/**
 * The set of secrets the logger must never print. The key loader registers every key it reads
 * (current and previous), so redaction does not depend on callers remembering to do it.
 */

export class SecretRegistry {
  private readonly secrets = new Set<string>();
  private readonly keys = new KeyScan();

  add(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  /** An API key: redacted like every secret, and also looked for in upstream bodies (keyIn). */
  addKey(key: string): void {
    this.add(key);
    this.keys.add(key);
  }

  /** How many API keys keyIn looks for: a body checked when it was this many was checked against them all. */
  get keyCount(): number {
    return this.keys.size;
  }

  /** The API key (of those added with addKey) that `body` contains, if any. */
  keyIn(body: Buffer): string | undefined {
    return this.keys.findIn(body);
  }

  /** Replaces every registered secret (and its secret part, in case the prefix was split off). */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(keyPrefix(secret));
      const hidden = keySecretPart(secret);
      if (hidden.length >= 8 && out.includes(hidden)) out = out.split(hidden).join('***');
    }
    return out;
  }
}
