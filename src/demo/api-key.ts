/**
 * API keys as Baseten shapes them (`<prefix>.<secret>`) and the simulator's check of the
 * `Authorization` header. Both schemes Baseten documents are accepted: `Api-Key <key>` and `Bearer <key>`.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Keys the simulator accepts at start-up: a non-empty prefix, a dot, a non-empty secret, no whitespace. */
const KEY_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A fresh random key for the demo: 8 lowercase alphanumerics, a dot, 32 alphanumerics. */
export function generateApiKey(): string {
  return `${randomString(LOWER_ALNUM, 8)}.${randomString(ALNUM, 32)}`;
}

/** True when `key` has the `<prefix>.<secret>` shape. */
export function isWellFormedApiKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}

/**
 * `missing`: no usable Authorization header (HTTP 401).
 * `rejected`: a header that is not one of the accepted schemes with the right key (HTTP 403).
 */
export type AuthVerdict = 'ok' | 'missing' | 'rejected';

/** Auth schemes are case-insensitive (RFC 9110 §11.1); the key itself is compared exactly. */
const ACCEPTED_SCHEMES = new Set(['api-key', 'bearer']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Checks a request's Authorization header against the one key the simulated organization has. */
export function checkAuthorization(header: string | undefined, apiKey: string): AuthVerdict {
  const value = header?.trim() ?? '';
  if (value === '') return 'missing';
  const space = value.indexOf(' ');
  if (space < 0) return 'rejected';
  const scheme = value.slice(0, space).toLowerCase();
  const presented = value.slice(space + 1).trim();
  if (!ACCEPTED_SCHEMES.has(scheme)) return 'rejected';
  // Compare digests so the comparison takes the same time whatever the presented length.
  return timingSafeEqual(digest(presented), digest(apiKey)) ? 'ok' : 'rejected';
}
