/**
 * `sudo` as the docs' shell steps use it, for running them as written on a machine without sudo (CI runs as
 * root and has none): `sudo CMD…` runs CMD as the caller, `sudo -u USER CMD…` runs it as USER. As root the
 * shim really becomes USER (setpriv, with USER's groups), so a step that gives a file to a non-root account is
 * proved by that account reading it; as anyone else USER must be the caller.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const SHIM = `#!/bin/sh
set -eu
if [ "$1" = "-u" ]; then
  user=$2
  shift 2
  if [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups -- "$@"
  fi
  if [ "$user" != "$(id -un)" ]; then
    echo "sudo (test shim): cannot become $user without root" >&2
    exit 1
  fi
fi
exec "$@"
`;

/** A folder holding the `sudo` shim, to put first on PATH. */
export function sudoShimDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sudo-shim-'));
  writeFileSync(join(dir, 'sudo'), SHIM);
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'sudo'), 0o755);
  return dir;
}

/**
 * The account a step that names a non-root service account runs as here: `nobody` as root (so the shim really
 * switches to it), else the caller itself (the only account it can become).
 */
export function serviceAccount(): { name: string; uid: number } {
  return process.getuid?.() === 0 ? { name: 'nobody', uid: 65534 } : { name: userInfo().username, uid: userInfo().uid };
}
