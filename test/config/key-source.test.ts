/** Hot rotation of the key file: rewrite, rename over, Kubernetes-style symlink swap, and a broken rotation. */
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeySource, type KeyEvents } from '../../src/config/index.js';
import { pollUntil } from '../helpers/poll.js';

const KEY_A = 'aaaaaaaa.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const KEY_B = 'bbbbbbbb.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

function recorder() {
  const events: string[] = [];
  const seen: string[] = [];
  const handlers: KeyEvents = {
    rotated: (a, b, source) => events.push(`rotated ${a.slice(0, 8)} → ${b.slice(0, 8)} (${source.split(' ')[0]})`),
    kept: (reason) => events.push(`kept: ${reason}`),
    advice: (message) => events.push(`advice: ${message}`),
    seen: (key) => seen.push(key),
  };
  return { events, seen, handlers };
}

function sourceFor(file: string, handlers: KeyEvents) {
  return new KeySource(() => ({ apiKeyFile: file, env: {}, homeDir: '/nonexistent' }), handlers);
}

describe('KeySource rotation', () => {
  it.each<[string, (dir: string, file: string) => void]>([
    ['rewrite in place', (_dir, file) => writeFileSync(file, `${KEY_B}\n`)],
    [
      'rename over',
      (dir, file) => {
        writeFileSync(join(dir, 'key.new'), KEY_B);
        renameSync(join(dir, 'key.new'), file);
      },
    ],
  ])('%s: the next read returns the new key and reports the rotation once', (_name, rotate) => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-rot-'));
    const file = join(dir, 'key');
    writeFileSync(file, `${KEY_A}\n`, { mode: 0o400 });
    const { events, seen, handlers } = recorder();
    const keys = sourceFor(file, handlers);
    expect(keys.read().key).toBe(KEY_A);
    chmodSync(file, 0o600);
    rotate(dir, file);
    expect(keys.read().key).toBe(KEY_B);
    expect(keys.read().key).toBe(KEY_B);
    expect(events.filter((e) => !e.startsWith('advice'))).toEqual(['rotated aaaaaaaa → bbbbbbbb (upstream.api_key_file)']);
    expect(seen).toContain(KEY_A);
    expect(seen).toContain(KEY_B);
  });

  it('Kubernetes symlink swap (..data → new timestamped folder) is seen by the watcher', async () => {
    // As the kubelet lays out a secret volume: key → ..data/key, ..data → ..2026_x (swapped atomically).
    const dir = mkdtempSync(join(tmpdir(), 'bridge-k8s-'));
    mkdirSync(join(dir, '..v1'));
    writeFileSync(join(dir, '..v1', 'key'), KEY_A);
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync(join('..data', 'key'), join(dir, 'key'));
    const { events, handlers } = recorder();
    const keys = sourceFor(join(dir, 'key'), handlers);
    expect(keys.read().key).toBe(KEY_A);
    let changed = 0;
    keys.watchFile(() => changed++);
    mkdirSync(join(dir, '..v2'));
    writeFileSync(join(dir, '..v2', 'key'), KEY_B);
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    rmSync(join(dir, '..v1'), { recursive: true });
    await pollUntil('the watcher to see the new key', () => (changed > 0 ? true : undefined), 5_000);
    keys.unwatch();
    expect(keys.current?.key).toBe(KEY_B);
    expect(events.filter((e) => !e.startsWith('advice'))).toEqual(['rotated aaaaaaaa → bbbbbbbb (upstream.api_key_file)']);
  });

  it.each<[string, (file: string) => void, string]>([
    ['an empty file', (file) => writeFileSync(file, '\n'), 'is empty'],
    ['a deleted file', (file) => rmSync(file), '(ENOENT)'],
    ['a key with spaces', (file) => writeFileSync(file, 'bad key.value'), 'contains whitespace'],
  ])('a broken rotation (%s) keeps the previous key and says why', (_name, breakIt, reason) => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-broken-'));
    const file = join(dir, 'key');
    writeFileSync(file, KEY_A, { mode: 0o400 });
    const { events, handlers } = recorder();
    const keys = sourceFor(file, handlers);
    keys.read();
    chmodSync(file, 0o600);
    breakIt(file);
    expect(keys.read().key).toBe(KEY_A);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^kept: api key: /);
    expect(events[0]).toContain(reason);
    expect(events[0]).toContain('still using the previous key');
  });

  it('throws when there never was a key', () => {
    const { handlers } = recorder();
    expect(() => sourceFor('/nonexistent/key', handlers).read()).toThrow(/cannot read upstream.api_key_file/);
  });

  it('warns once about a key file others can read, and once about a pasted scheme', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-mode-'));
    const file = join(dir, 'key');
    writeFileSync(file, `Bearer ${KEY_A}`, { mode: 0o644 });
    const { events, handlers } = recorder();
    const keys = sourceFor(file, handlers);
    expect(keys.read().key).toBe(KEY_A);
    keys.read();
    expect(events).toEqual([
      'advice: the key source starts with "Bearer "; using the key without it (store the key alone)',
      `advice: key file ${file} is readable by group or others; restrict it (chmod 0400)`,
    ]);
  });
});
