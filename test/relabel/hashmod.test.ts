/** hashmod: the double-precision path for small moduli must agree with 64-bit BigInt arithmetic. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashmod, prepareModulus } from '../../src/relabel/hashmod.js';

function reference(value: string, modulus: bigint): string {
  return (createHash('md5').update(value, 'utf8').digest().readBigUInt64BE(8) % modulus).toString();
}

describe('hashmod', () => {
  // Known values computed with python3 hashlib (md5, last 8 bytes big-endian).
  it.each([
    ['baz', 1000n, '976'],
    ['foo\nbar', 1000n, '734'],
    ['', 3n, '1'],
    ['héllo', 1000n, '216'],
    ['foo;bar', 2097152n, '1253182'],
    ['foo;bar', 2097153n, '204222'],
    ['baz', 18446744073709551615n, '16450797887570275976'],
  ])('%j mod %s = %s', (value, modulus, expected) => {
    expect(hashmod(value, prepareModulus(modulus))).toBe(expected);
  });

  it('agrees with BigInt arithmetic on both sides of the small-modulus limit', () => {
    const moduli = [1n, 2n, 3n, 7n, 1000n, 65536n, 2097151n, 2097152n, 2097153n, 4294967296n, 9007199254740993n];
    for (let i = 0; i < 500; i++) {
      const value = `series-${i}-${'x'.repeat(i % 13)}`;
      for (const m of moduli) expect(hashmod(value, prepareModulus(m))).toBe(reference(value, m));
    }
  });

  it('refuses a zero modulus', () => {
    expect(() => prepareModulus(0n)).toThrow(RangeError);
  });
});
