/**
 * Finds an API key in a body before it is served. An upstream (or a proxy in front of it) that echoes the
 * request's `Authorization` header into a label value would otherwise have the bridge serve the key on
 * /metrics, push it by remote_write and show it on the status page. Bodies are up to 64 MiB, so each form
 * of each key is one native `Buffer.indexOf` scan (a Boyer–Moore–Horspool search in C++, several GB/s),
 * never a regex or a decode of the body:
 *   - the key's secret part (after the dot), or the whole key when it has no prefix: it is inside the raw
 *     key and inside `Api-Key <key>` / `Bearer <key>`, so one scan covers all three;
 *   - base64 of the key, cut to whole 3-byte groups so that it also matches when more follows the key in
 *     the encoded text (`base64("<key>:x")`): that is, when it starts the encoded value.
 */
import { keySecretPart } from './key-parts.js';

/** Shorter needles would match ordinary label values: a Baseten key's secret part is 32 characters. */
const MIN_NEEDLE = 12;

export class KeyScan {
  private readonly needles = new Map<string, Buffer[]>();

  add(key: string): void {
    if (this.needles.has(key)) return;
    const secret = keySecretPart(key) || key;
    const whole = Buffer.from(key, 'utf8');
    const base64 = whole.subarray(0, whole.length - (whole.length % 3)).toString('base64');
    const forms = [secret, base64].filter((f) => f.length >= MIN_NEEDLE).map((f) => Buffer.from(f, 'utf8'));
    this.needles.set(key, forms);
  }

  /** Keys added so far (they are never removed). */
  get size(): number {
    return this.needles.size;
  }

  /** The first key found in `body` (for its prefix in a log line), or undefined. */
  findIn(body: Buffer): string | undefined {
    for (const [key, forms] of this.needles) {
      for (const needle of forms) if (body.indexOf(needle) >= 0) return key;
    }
    return undefined;
  }
}
