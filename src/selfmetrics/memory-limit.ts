/**
 * The memory limit the bridge runs under, for `baseten_bridge_memory_limit_bytes` and the alert that compares
 * resident memory with it: `--memory.limit` when given, else the cgroup's, read once at start.
 *
 * The cgroup's limit is the kernel's: past it the process is OOM-killed (a Kubernetes `resources.limits.memory`,
 * Docker's `--memory`, systemd's `MemoryMax=`). The effective limit is the lowest on the way from the process's
 * own cgroup (named in /proc/self/cgroup) up to the root, as the kernel charges every ancestor: cgroup v2's
 * `memory.max` ("max": none), v1's `memory/memory.limit_in_bytes` (no limit reads as a huge number). In a
 * container the cgroup file system is the container's own and /proc/self/cgroup says `/`, or names a path
 * that is not mounted there: the walk then ends at the mount's root, which is the container's cgroup.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

export interface MemoryLimit {
  bytes: number;
  /** Where it came from, for the start-up log: `--memory.limit` or the cgroup file. */
  source: string;
}

/** Where the cgroup file system and the process's cgroup list are; the tests point them at a temporary folder. */
export interface CgroupPaths {
  root: string;
  procSelfCgroup: string;
}

const SYSTEM: CgroupPaths = { root: '/sys/fs/cgroup', procSelfCgroup: '/proc/self/cgroup' };

/**
 * The limit in bytes a file states, or undefined for none: v2 writes `max`; v1 writes its "unlimited" as the
 * largest page-aligned 63-bit number (9223372036854771712), so anything past 2^53 bytes (8 PiB) is no limit.
 */
function limitIn(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!/^\d+$/.test(text)) return undefined;
  const bytes = Number(text);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `/a/b` → [`/a/b`, `/a`, `/`]: the process's cgroup and its ancestors. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = posix.normalize(`/${path}`); ; p = posix.dirname(p)) {
    out.push(p);
    if (p === '/') return out;
  }
}

/** The cgroup paths in /proc/self/cgroup: v2's `0::/path`, and v1's memory controller `N:…memory…:/path`. */
function ownCgroups(procSelfCgroup: string): { v2?: string; v1?: string } {
  let text = '';
  try {
    text = readFileSync(procSelfCgroup, 'utf8');
  } catch {
    // No /proc (not Linux): only the mount roots are tried.
  }
  const found: { v2?: string; v1?: string } = {};
  for (const line of text.split('\n')) {
    const [, id, controllers = '', path] = /^(\d+):([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    if (id === '0' && controllers === '') found.v2 = path;
    else if (controllers.split(',').includes('memory')) found.v1 = path;
  }
  return found;
}

/** The lowest memory limit of the process's cgroups, or undefined when none is set or none can be read. */
export function readCgroupMemoryLimit(paths: CgroupPaths = SYSTEM): MemoryLimit | undefined {
  const own = ownCgroups(paths.procSelfCgroup);
  const files = [
    ...ancestors(own.v2 ?? '/').map((dir) => posix.join(paths.root, dir, 'memory.max')),
    ...ancestors(own.v1 ?? '/').map((dir) => posix.join(paths.root, 'memory', dir, 'memory.limit_in_bytes')),
  ];
  let lowest: MemoryLimit | undefined;
  for (const file of files) {
    const bytes = limitIn(file);
    if (bytes !== undefined && (lowest === undefined || bytes < lowest.bytes)) lowest = { bytes, source: file };
  }
  return lowest;
}

/** The limit the bridge reports: the flag's when given, else the cgroup's (undefined: none known, nothing exported). */
export function memoryLimit(flagBytes: number | undefined, paths: CgroupPaths = SYSTEM): MemoryLimit | undefined {
  return flagBytes !== undefined ? { bytes: flagBytes, source: '--memory.limit' } : readCgroupMemoryLimit(paths);
}
