/**
 * The API key as the bridge holds it while running. It is read anew before every fetch (and when the key
 * file changes), so a rotated key — a rewritten file, a renamed one, a Kubernetes secret's symlink swap — is
 * picked up without a restart. A rotation that leaves the source unreadable keeps the previous key.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { ApiKeyError, resolveApiKey, type KeyLookup, type ResolvedKey } from './api-key.js';

export interface KeyEvents {
  /** A key was read that differs from the previous one. Prefixes only. */
  rotated(oldKey: string, newKey: string, source: string): void;
  /** The source became unreadable or invalid; the previous key stays in use. */
  kept(reason: string): void;
  /** Said once per source: a pasted scheme or quotes were stripped, or the file is readable by others. */
  advice(message: string, source: string): void;
  /** Every key read, so the logger can redact it. */
  seen(key: string): void;
}

/** How long a key file must be quiet after a change before it is re-read. */
const KEY_FILE_SETTLE_MS = 150;

/** The groups a read is checked against: the process's effective group and its supplementary groups. */
function processGroups(): number[] {
  return [process.getegid?.(), ...(process.getgroups?.() ?? [])].filter((g) => g !== undefined);
}

/**
 * Who besides the bridge can read a key file (as ssh warns for private keys): `others`, or a `group` the
 * process is not in. A group the process is in is its own: a Kubernetes Secret volume with `fsGroup` is
 * root:<fsGroup> 0440 whatever `defaultMode` says, and the pod's processes run in the fsGroup.
 */
export function keyFileExposure(
  file: { mode: number; gid: number },
  groups: readonly number[],
): 'others' | 'group' | undefined {
  if ((file.mode & 0o007) !== 0) return 'others';
  if ((file.mode & 0o070) !== 0 && !groups.includes(file.gid)) return 'group';
  return undefined;
}

function exposureAdvice(path: string): string | undefined {
  let file: { mode: number; gid: number };
  try {
    file = statSync(path);
  } catch {
    return undefined;
  }
  const exposure = keyFileExposure(file, processGroups());
  if (exposure === undefined) return undefined;
  const mode = `mode ${(file.mode & 0o777).toString(8).padStart(4, '0')}`;
  switch (exposure) {
    case 'others':
      return `key file ${path} is readable by others (${mode}); restrict it (chmod 0400)`;
    case 'group':
      return (
        `key file ${path} is readable by group ${file.gid}, which the bridge ` +
        `does not run in (${mode}); restrict it (chmod 0400, or chgrp it to ` +
        `the bridge's group)`
      );
    default: {
      const unreachable: never = exposure;
      return unreachable;
    }
  }
}

/**
 * What to tell people about a key just read: a pasted scheme or quotes, or a key file others can read. One
 * function for the running bridge (said once per source) and `check-config`, so both say the same.
 */
export function keyAdvice(key: ResolvedKey, keyFile: string | undefined): Array<{ id: string; message: string }> {
  const advice: Array<{ id: string; message: string }> = [];
  if (key.strippedScheme)
    advice.push({
      id: `scheme:${key.source}`,
      message: `the key source starts with "${key.strippedScheme} "; using the key without it (store the key alone)`,
    });
  if (key.strippedQuotes)
    advice.push({
      id: `quotes:${key.source}`,
      message: 'the key source puts the key in quotes; using the key without them (store the key alone)',
    });
  const exposure = keyFile ? exposureAdvice(keyFile) : undefined;
  if (exposure) advice.push({ id: `mode:${keyFile}`, message: exposure });
  return advice;
}

/** The key file a lookup reads, if any: upstream.api_key_file, else BASETEN_API_KEY_FILE (none for a generated key). */
export function keyFileOf(lookup: KeyLookup): string | undefined {
  if (lookup.generated !== undefined) return undefined;
  return lookup.apiKeyFile ?? (lookup.env.BASETEN_API_KEY_FILE || undefined);
}

export class KeySource {
  private currentKey: ResolvedKey | undefined;
  private readonly advised = new Set<string>();
  private watcher: FSWatcher | undefined;
  private settle: NodeJS.Timeout | undefined;

  constructor(
    private readonly lookup: () => KeyLookup,
    private readonly events: KeyEvents,
  ) {}

  /** Reads the key from its source. Throws ApiKeyError only when there never was a good key. */
  read(): ResolvedKey {
    let next: ResolvedKey;
    try {
      next = resolveApiKey(this.lookup());
    } catch (err) {
      if (!(err instanceof ApiKeyError) || !this.currentKey) throw err;
      this.events.kept(`${err.message}; still using the previous key`);
      return this.currentKey;
    }
    this.events.seen(next.key);
    this.adviseOnce(next);
    const previous = this.currentKey;
    this.currentKey = next;
    if (previous && previous.key !== next.key) this.events.rotated(previous.key, next.key, next.source);
    return next;
  }

  /** The key in use, without reading the source. */
  get current(): ResolvedKey | undefined {
    return this.currentKey;
  }

  /**
   * Watches the key file's folder (not the file: Kubernetes swaps a symlink in the folder, and editors
   * replace files by rename) and calls `changed` after re-reading.
   */
  watchFile(changed: () => void): void {
    this.unwatch();
    const path = this.keyFilePath();
    if (!path) return;
    try {
      // One rotation is several events (truncate, write; or create, rename): re-read once they settle, so a
      // half-written file is never read (no "cannot read the new key" warning, one "API key changed").
      const reread = () => {
        this.settle = undefined;
        const before = this.currentKey?.key;
        try {
          this.read();
        } catch {
          return;
        }
        if (this.currentKey?.key !== before) changed();
      };
      this.watcher = watch(dirname(path), { persistent: false }, () => {
        if (this.settle) clearTimeout(this.settle);
        this.settle = setTimeout(reread, KEY_FILE_SETTLE_MS);
        this.settle.unref();
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      // A folder that cannot be watched is still re-read before every fetch.
      this.watcher = undefined;
    }
  }

  unwatch(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }

  private keyFilePath(): string | undefined {
    return keyFileOf(this.lookup());
  }

  private adviseOnce(key: ResolvedKey): void {
    for (const { id, message } of keyAdvice(key, this.keyFilePath())) {
      if (this.advised.has(id)) continue;
      this.advised.add(id);
      this.events.advice(message, key.source);
    }
  }
}
