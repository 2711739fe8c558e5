import { describe, expect, it } from 'vitest';
import { checkAuthorization, generateApiKey, isWellFormedApiKey, type AuthVerdict } from '../../src/demo/api-key.js';
import { KEY } from './fixtures.js';

describe('generateApiKey', () => {
  it('makes `8 lowercase alnum`.`32 alnum` keys, different each time', () => {
    const keys = Array.from({ length: 20 }, () => generateApiKey());
    for (const key of keys) {
      expect(key).toMatch(/^[a-z0-9]{8}\.[A-Za-z0-9]{32}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('isWellFormedApiKey', () => {
  it.each([
    [KEY, true],
    ['abc.def', true],
    ['nodot', false],
    ['.secret', false],
    ['prefix.', false],
    ['pre fix.secret', false],
    ['prefix.sec\nret', false],
  ])('%j → %s', (key, ok) => {
    expect(isWellFormedApiKey(key)).toBe(ok);
  });
});

describe('checkAuthorization', () => {
  it.each<[string, string | undefined, AuthVerdict]>([
    ['no header', undefined, 'missing'],
    ['empty header', '', 'missing'],
    ['blank header', '   ', 'missing'],
    ['Api-Key scheme', `Api-Key ${KEY}`, 'ok'],
    ['Bearer scheme', `Bearer ${KEY}`, 'ok'],
    ['scheme in another case (RFC 9110: case-insensitive)', `api-key ${KEY}`, 'ok'],
    ['extra spaces around the key', `Bearer   ${KEY}  `, 'ok'],
    ['key without a scheme', KEY, 'rejected'],
    ['Basic scheme', `Basic ${KEY}`, 'rejected'],
    ['wrong secret', 'Api-Key abcdefgh.wrong', 'rejected'],
    ['prefix only', 'Api-Key abcdefgh', 'rejected'],
    ['key in another case', `Api-Key ${KEY.toUpperCase()}`, 'rejected'],
  ])('%s → %s', (_, header, verdict) => {
    expect(checkAuthorization(header, KEY)).toBe(verdict);
  });
});
