import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeyError, keyFileOf, resolveApiKey } from '../../src/config/index.js';

const KEY_A = 'aaaaaaaa.secretAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const KEY_B = 'bbbbbbbb.secretBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const KEY_C = 'cccccccc.secretCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC';
const KEY_D = 'dddddddd.secretDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-key-'));
  const fileA = join(dir, 'key-a');
  const fileB = join(dir, 'key-b');
  writeFileSync(fileA, `${KEY_A}\n`);
  writeFileSync(fileB, `  ${KEY_B}  \n`);
  writeFileSync(
    join(dir, '.trussrc'),
    `[other]\napi_key = nope\n\n[baseten]\nremote_provider = ` +
      `baseten\napi_key = ${KEY_D}\nremote_url = https://app.baseten.co\n`,
  );
  return { dir, fileA, fileB };
}

describe('resolveApiKey: first found wins', () => {
  const { dir, fileA, fileB } = setup();
  const all = { BASETEN_API_KEY_FILE: fileB, BASETEN_API_KEY: KEY_C };

  it.each([
    ['upstream.api_key_file', { apiKeyFile: fileA, env: all, homeDir: dir }, KEY_A, `upstream.api_key_file ${fileA}`],
    ['BASETEN_API_KEY_FILE', { env: all, homeDir: dir }, KEY_B, `BASETEN_API_KEY_FILE ${fileB}`],
    ['BASETEN_API_KEY', { env: { BASETEN_API_KEY: KEY_C }, homeDir: dir }, KEY_C, 'BASETEN_API_KEY'],
    ['~/.trussrc', { env: {}, homeDir: dir }, KEY_D, `${join(dir, '.trussrc')} [baseten] api_key`],
  ])('%s', (_name, lookup, key, source) => {
    expect(resolveApiKey(lookup)).toEqual({ key, source });
  });

  it("reads the demo's generated key before every other source, and watches no file for it", () => {
    const lookup = { apiKeyFile: fileA, env: all, homeDir: dir, generated: KEY_C };
    expect(resolveApiKey(lookup)).toEqual({ key: KEY_C, source: 'demo (generated)' });
    expect(keyFileOf(lookup)).toBeUndefined();
  });

  it('strips a pasted scheme and says so', () => {
    expect(resolveApiKey({ env: { BASETEN_API_KEY: `Api-Key ${KEY_C}` }, homeDir: dir })).toEqual({
      key: KEY_C,
      source: 'BASETEN_API_KEY',
      strippedScheme: 'Api-Key',
    });
  });

  it.each([
    ['single quotes', `'${KEY_C}'`, { strippedQuotes: true }],
    ['double quotes, with blanks inside', `"  ${KEY_C} "`, { strippedQuotes: true }],
    ['quotes inside a scheme', `Api-Key '${KEY_C}'`, { strippedScheme: 'Api-Key', strippedQuotes: true }],
    ['quotes around a scheme', `"Bearer ${KEY_C}"`, { strippedScheme: 'Bearer', strippedQuotes: true }],
  ])('strips %s (as a shell or .env line has them) and says so', (_name, raw, stripped) => {
    expect(resolveApiKey({ env: { BASETEN_API_KEY: raw }, homeDir: dir })).toEqual({
      key: KEY_C,
      source: 'BASETEN_API_KEY',
      ...stripped,
    });
  });

  it('names every place it looked when there is no key', () => {
    const empty = mkdtempSync(join(tmpdir(), 'bridge-nokey-'));
    expect(() => resolveApiKey({ env: {}, homeDir: empty })).toThrow(
      `api key: none found; looked in upstream.api_key_file (not set), ` +
        `BASETEN_API_KEY_FILE (not set), BASETEN_API_KEY (not set) and ` +
        `${join(empty, '.trussrc')} (no [baseten] api_key); set one of them to ` +
        `a metrics-only workspace key`,
    );
  });

  it.each([
    ['an empty file', '\n', 'is empty (put the key from'],
    ['nothing but quotes', "''\n", 'is empty (put the key from'],
    ['inner whitespace', 'abc def.ghi', 'contains whitespace or control characters'],
    [
      'an opening quote alone',
      "'abcdefgh.ghijklmnop\n",
      'contains a quote character inside the key (store the key alone, without quotes)',
    ],
    [
      'quotes that do not match',
      `"abcdefgh.ghijklmnop'`,
      'contains a quote character inside the key (store the key alone, without quotes)',
    ],
  ])('rejects %s without echoing it', (_name, content, message) => {
    const file = join(dir, 'bad');
    writeFileSync(file, content);
    let error: unknown;
    try {
      resolveApiKey({ apiKeyFile: file, env: {}, homeDir: dir });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiKeyError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain(content.trim() || '\u0000');
  });

  it('names an unreadable key file by path and errno', () => {
    expect(() => resolveApiKey({ apiKeyFile: join(dir, 'missing'), env: {}, homeDir: dir })).toThrow(
      `api key: cannot read upstream.api_key_file ${join(dir, 'missing')} (ENOENT); check the path and its permissions`,
    );
  });
});
