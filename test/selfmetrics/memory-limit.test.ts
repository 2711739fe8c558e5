/**
 * The memory limit read from the cgroup file system: a table of cgroup trees written into a temporary folder
 * (the file system's root and /proc/self/cgroup), each with the limit the bridge must report.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLimit, readCgroupMemoryLimit, type CgroupPaths } from '../../src/selfmetrics/index.js';

const MiB = 2 ** 20;
/** What cgroup v1 writes for "no limit": the largest page-aligned 63-bit number. */
const V1_UNLIMITED = '9223372036854771712';

/** A cgroup tree: `self` is /proc/self/cgroup (absent: no such file), `files` are paths under the mount root. */
function tree(self: string | undefined, files: Record<string, string>): CgroupPaths {
  const dir = mkdtempSync(join(tmpdir(), 'cgroup-'));
  const root = join(dir, 'sys/fs/cgroup');
  mkdirSync(root, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), `${text}\n`);
  }
  const procSelfCgroup = join(dir, 'proc-self-cgroup');
  if (self !== undefined) writeFileSync(procSelfCgroup, self);
  return { root, procSelfCgroup };
}

describe('readCgroupMemoryLimit', () => {
  it.each([
    [
      'v2, in a container (its own cgroup at the root)',
      '0::/\n',
      { 'memory.max': String(512 * MiB) },
      { bytes: 512 * MiB, file: 'memory.max' },
    ],
    ['v2 "max": no limit', '0::/\n', { 'memory.max': 'max' }, undefined],
    [
      'v2, a systemd service with MemoryMax=',
      '0::/system.slice/baseten-bridge.service\n',
      { 'system.slice/baseten-bridge.service/memory.max': String(256 * MiB) },
      { bytes: 256 * MiB, file: 'system.slice/baseten-bridge.service/memory.max' },
    ],
    [
      'v2, the lowest on the way up: the slice',
      '0::/system.slice/baseten-bridge.service\n',
      { 'system.slice/baseten-bridge.service/memory.max': 'max', 'system.slice/memory.max': String(1024 * MiB) },
      { bytes: 1024 * MiB, file: 'system.slice/memory.max' },
    ],
    [
      'v2, the lowest on the way up: the service',
      '0::/a/b\n',
      { 'a/b/memory.max': String(300 * MiB), 'a/memory.max': String(400 * MiB) },
      { bytes: 300 * MiB, file: 'a/b/memory.max' },
    ],
    [
      'v2, a path not mounted here (no cgroup namespace): the mount root is the container',
      '0::/kubepods/burstable/pod1/ctr\n',
      { 'memory.max': String(512 * MiB) },
      { bytes: 512 * MiB, file: 'memory.max' },
    ],
    ['v1 huge: no limit', '4:memory:/\n', { 'memory/memory.limit_in_bytes': V1_UNLIMITED }, undefined],
    [
      'v1 number, in a container',
      '11:memory:/docker/0123abcd\n',
      { 'memory/memory.limit_in_bytes': String(768 * MiB) },
      { bytes: 768 * MiB, file: 'memory/memory.limit_in_bytes' },
    ],
    [
      "v1 number, the process's own cgroup below an unlimited root",
      '5:cpuacct,memory:/process_api/x\n',
      {
        'memory/process_api/x/memory.limit_in_bytes': String(2048 * MiB),
        'memory/memory.limit_in_bytes': V1_UNLIMITED,
      },
      { bytes: 2048 * MiB, file: 'memory/process_api/x/memory.limit_in_bytes' },
    ],
    [
      'hybrid: v2 holds no memory controller, v1 has the limit',
      '0::/user.slice\n4:memory:/user.slice\n',
      { 'unified/cgroup.procs': '', 'memory/user.slice/memory.limit_in_bytes': String(640 * MiB) },
      { bytes: 640 * MiB, file: 'memory/user.slice/memory.limit_in_bytes' },
    ],
    ['missing: no cgroup files at all', '0::/\n', {}, undefined],
    [
      'missing: no /proc/self/cgroup, the mount root is read',
      undefined,
      { 'memory.max': String(128 * MiB) },
      { bytes: 128 * MiB, file: 'memory.max' },
    ],
    ['unreadable content', '0::/\n', { 'memory.max': 'lots' }, undefined],
    ['zero is no limit anyone could mean', '0::/\n', { 'memory.max': '0' }, undefined],
  ])('%s', (_name, self, files, expected) => {
    const paths = tree(self, files);
    const limit = readCgroupMemoryLimit(paths);
    expect(limit && { bytes: limit.bytes, file: limit.source.slice(paths.root.length + 1) }).toEqual(expected);
  });
});

describe('memoryLimit', () => {
  it('takes --memory.limit over the cgroup, and says so', () => {
    expect(memoryLimit(300 * MiB, tree('0::/\n', { 'memory.max': String(512 * MiB) }))).toEqual({
      bytes: 300 * MiB,
      source: '--memory.limit',
    });
  });

  it("is the cgroup's without the flag, and none without either", () => {
    expect(memoryLimit(undefined, tree('0::/\n', { 'memory.max': String(512 * MiB) }))?.bytes).toBe(512 * MiB);
    expect(memoryLimit(undefined, tree('0::/\n', { 'memory.max': 'max' }))).toBeUndefined();
  });
});
