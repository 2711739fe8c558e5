/**
 * Hot rotation of the key file: rewrite, rename over, Kubernetes-style symlink swap, and a broken rotation;
 * and who else may read the key file (a group the bridge runs in is its own).
 */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyAdvice, keyFileExposure, KeySource, type KeyEvents } from '../../src/config/index.js';
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
    expect(events.filter((e) => !e.startsWith('advice'))).toEqual([
      'rotated aaaaaaaa → bbbbbbbb (upstream.api_key_file)',
    ]);
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
    expect(events.filter((e) => !e.startsWith('advice'))).toEqual([
      'rotated aaaaaaaa → bbbbbbbb (upstream.api_key_file)',
    ]);
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
      `advice: key file ${file} is readable by others (mode 0644); restrict it (chmod 0400)`,
    ]);
  });
});

describe('who else can read the key file', () => {
  const OWN = 1000;
  const OTHER = 2000;
  it.each<[string, number, number, readonly number[], ReturnType<typeof keyFileExposure>]>([
    ['0400, the bridge alone', 0o400, OWN, [OWN], undefined],
    ["0440, group the process's own (a Secret volume with fsGroup)", 0o440, OWN, [OWN], undefined],
    ['0440, group one of its supplementary groups', 0o440, OTHER, [OWN, OTHER], undefined],
    ['0440, a group the process is not in', 0o440, OTHER, [OWN], 'group'],
    ['0444, everyone', 0o444, OWN, [OWN], 'others'],
    ['0404, others but not the group', 0o404, OTHER, [OWN], 'others'],
  ])('%s', (_name, mode, gid, groups, exposure) => {
    expect(keyFileExposure({ mode, gid }, groups)).toBe(exposure);
  });

  /** keyAdvice on a real file of this mode (and group), as the bridge and check-config read it. */
  function adviceFor(mode: number, gid?: number): string[] {
    const file = join(mkdtempSync(join(tmpdir(), 'bridge-key-mode-')), 'key');
    writeFileSync(file, KEY_A);
    if (gid !== undefined) chownSync(file, statSync(file).uid, gid);
    chmodSync(file, mode);
    return keyAdvice({ key: KEY_A, source: `upstream.api_key_file ${file}` }, file).map((a) =>
      a.message.replace(file, 'FILE'),
    );
  }

  it('says nothing of a 0400 file', () => {
    expect(adviceFor(0o400)).toEqual([]);
  });

  it("says nothing of a 0440 file whose group is the process's own", () => {
    expect(adviceFor(0o440, process.getegid!())).toEqual([]);
  });

  it('warns about a 0444 file', () => {
    expect(adviceFor(0o444)).toEqual(['key file FILE is readable by others (mode 0444); restrict it (chmod 0400)']);
  });

  // Giving a file to a group one is not in takes root (CI runs as root).
  it.runIf(process.getuid?.() === 0)('warns about a 0440 file of a group the process is not in', () => {
    const other = 65534;
    expect(process.getgroups!()).not.toContain(other);
    expect(adviceFor(0o440, other)).toEqual([
      `key file FILE is readable by group ${other}, which the bridge does ` +
        `not run in (mode 0440); restrict it (chmod 0400, or chgrp it to the ` +
        `bridge's group)`,
    ]);
  });
});
