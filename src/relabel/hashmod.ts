/**
 * The `hashmod` action, as model/relabel/relabel.go: MD5 of the joined source values (UTF-8), the last 8
 * bytes read as a big-endian unsigned 64-bit integer, modulo `modulus`, written in decimal.
 */
import { hash } from 'node:crypto';
import { BoundedMemo } from './memo.js';

/** Largest modulus for which the two-halves arithmetic below stays within exact double precision. */
const SMALL_MODULUS_LIMIT = 2 ** 21;
const TWO_POW_32 = 2 ** 32;

export interface Modulus {
  readonly big: bigint;
  /** The modulus as a number when it is at most 2^21, else 0 (use the BigInt path). */
  readonly small: number;
  /** 2^32 mod modulus, for the small path. */
  readonly shift: number;
  /** Recent shard numbers by value (sharding keys such as instance repeat across a target's series). */
  readonly memo: BoundedMemo<string>;
}

export function prepareModulus(modulus: bigint): Modulus {
  if (modulus <= 0n) throw new RangeError(`relabel: hashmod modulus must be positive, got ${modulus}`);
  const small = modulus <= BigInt(SMALL_MODULUS_LIMIT) ? Number(modulus) : 0;
  const prepared = { big: modulus, small, shift: small === 0 ? 0 : TWO_POW_32 % small };
  return { ...prepared, memo: new BoundedMemo((value) => shard(value, prepared)) };
}

/** The shard number of `value`, in decimal. */
export function hashmod(value: string, modulus: Modulus): string {
  return modulus.memo.get(value);
}

function shard(value: string, modulus: Omit<Modulus, 'memo'>): string {
  const digest = hash('md5', value, 'buffer');
  if (modulus.small === 0) return (digest.readBigUInt64BE(8) % modulus.big).toString();
  // (hi * 2^32 + lo) mod m, computed on halves: every intermediate stays below 2^43.
  const m = modulus.small;
  const hi = digest.readUInt32BE(8) % m;
  const lo = digest.readUInt32BE(12);
  return String((hi * modulus.shift + lo) % m);
}
