/**
 * Checks `--storage.path` once at start, so a path the budget can never be written to fails the start in
 * one line instead of failing every write later. It must exist or be creatable, be a directory and take a
 * file. Missing folders are made one level at a time, never with `mkdirSync(..., {recursive: true})`: on
 * Node 20 that never returns for paths such as `/proc/self/nope` (mkdir there fails with ENOENT although the
 * parent exists, and the recursive walk keeps retrying), spinning the event loop at 100 % before the server
 * listens.
 */
import { accessSync, constants, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ProblemsError } from '../problems-error.js';

/** A --storage.path the budget can never be written to: one problem, with the fix. */
export class StorageError extends ProblemsError {
  override name = 'StorageError';
  constructor(problem: string) {
    super('--storage.path', [problem]);
  }
}

/** The default is relative, as Prometheus's `--storage.tsdb.path=data/`: the flag says where the state goes. */
export const DEFAULT_STORAGE_PATH = 'data';

const HOW = 'pass --storage.path=DIR (a writable directory), or --storage.path= to keep the budget in memory only';

/**
 * The fix, and for a relative path where it was looked for: a service manager starts the bridge in `/`, where
 * the default cannot be created, and an operator who never passed the flag would not know a path was given.
 */
function fix(dir: string, cwd: string): string {
  if (isAbsolute(dir)) return HOW;
  return (
    `${dir} is ${dir === DEFAULT_STORAGE_PATH ? 'the default, ' : ''}relative ` +
    `to the working directory ${cwd}: ${HOW}`
  );
}

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * Makes `dir` (relative to `cwd`) if needed and proves a file can be written in it; throws StorageError in one line.
 */
export function prepareStorage(dir: string, cwd: string = process.cwd()): void {
  const full = resolve(cwd, dir);
  const missing: string[] = [];
  for (let at = full; ; at = dirname(at)) {
    try {
      if (!statSync(at).isDirectory())
        throw new StorageError(`${at === full ? dir : at} is not a directory; ${fix(dir, cwd)}`);
      break;
    } catch (err) {
      if (err instanceof StorageError) throw err;
      // ENOTDIR: a file on the way, reported as such one level up.
      if ((code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') || dirname(at) === at)
        throw new StorageError(`cannot use ${dir} (${code(err)}); ${fix(dir, cwd)}`);
      missing.unshift(at);
    }
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (err) {
      if (code(err) !== 'EEXIST')
        throw new StorageError(`cannot create ${dir} (${code(err)} at ${folder}); ${fix(dir, cwd)}`);
    }
  }
  // access() alone answers yes to root on a read-only mount's files in some kernels: write a probe.
  const probe = join(full, `.write-test-${process.pid}`);
  try {
    accessSync(full, constants.W_OK | constants.X_OK);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (err) {
    throw new StorageError(`${dir} is not writable (${code(err)}); ${fix(dir, cwd)}`);
  }
}
