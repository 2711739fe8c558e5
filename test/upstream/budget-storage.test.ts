/**
 * prepareStorage: a --storage.path that can never hold the budget's state fails in one line that names the
 * flag and the fix; a relative path says which working directory it was looked for in, and the default says
 * it is the default (a service manager starts the bridge in `/`, where `data` cannot be created).
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STORAGE_PATH, prepareStorage, StorageError } from '../../src/upstream/index.js';

const HOW = 'pass --storage.path=DIR (a writable directory), or --storage.path= to keep the budget in memory only';

/** A folder holding a file named `taken`. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'budget-storage-'));
  writeFileSync(join(dir, 'taken'), '');
  return dir;
}

describe('prepareStorage', () => {
  // /proc takes no folder, for root either: mkdir there fails with ENOENT whoever runs the test.
  it.each<[string, (tmp: string) => { dir: string; cwd: string }, (tmp: string) => string]>([
    [
      'the default, in a working directory that takes no folder',
      () => ({ dir: DEFAULT_STORAGE_PATH, cwd: '/proc' }),
      () =>
        `--storage.path: cannot create data (ENOENT at /proc/data); data is ` +
        `the default, relative to the working directory /proc: ${HOW}`,
    ],
    [
      'a relative path that is a file',
      (tmp) => ({ dir: 'taken', cwd: tmp }),
      (tmp) => `--storage.path: taken is not a directory; taken is relative to the working directory ${tmp}: ${HOW}`,
    ],
    [
      'a relative path under a file',
      (tmp) => ({ dir: 'taken/state', cwd: tmp }),
      (tmp) =>
        `--storage.path: ${tmp}/taken is not a directory; taken/state is ` +
        `relative to the working directory ${tmp}: ${HOW}`,
    ],
    [
      'an absolute path that is a file',
      (tmp) => ({ dir: join(tmp, 'taken'), cwd: '/' }),
      (tmp) => `--storage.path: ${tmp}/taken is not a directory; ${HOW}`,
    ],
    [
      'an absolute path under /proc',
      () => ({ dir: '/proc/self/nope', cwd: '/' }),
      () => `--storage.path: cannot create /proc/self/nope (ENOENT at /proc/self/nope); ${HOW}`,
    ],
  ])('%s: one line naming the flag and the fix', (_what, input, message) => {
    const tmp = scratch();
    const { dir, cwd } = input(tmp);
    let thrown: unknown;
    try {
      prepareStorage(dir, cwd);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StorageError);
    expect((thrown as StorageError).lines()).toEqual([message(tmp)]);
  });

  it('makes a missing relative path, folder by folder, in the working directory it is given', () => {
    const tmp = scratch();
    prepareStorage('state/budget', tmp);
    expect(statSync(join(tmp, 'state/budget')).isDirectory()).toBe(true);
    expect(existsSync(join(process.cwd(), 'state'))).toBe(false);
  });
});
