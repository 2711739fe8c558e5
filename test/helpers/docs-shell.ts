/**
 * The docs' shell steps as a reader copies and runs them: the README's ```sh blocks after an
 * `<!-- marker: ... -->` comment, with a list item's indentation removed, run by bash, strict
 * (`-euo pipefail`), with `sudo` on the PATH even on a machine without it (CI runs as root and has none). The
 * shim: `sudo CMD…` runs CMD as the caller, `sudo -u USER CMD…` runs it as USER. As root it really becomes USER
 * (setpriv, with USER's groups), so a step that gives a file to a non-root account is proved by that account
 * reading it; as anyone else USER must be the caller.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

export const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

/** The ```sh blocks that follow `<!-- marker` comments, in order. */
export function markedBlocks(marker: string): string[] {
  const pattern = new RegExp(`<!-- ${marker}[^>]*-->\\n( *)\`\`\`sh\\n([\\s\\S]*?)\\n *\`\`\``, 'g');
  return [...README.matchAll(pattern)].map(([, indent, body]) =>
    body!
      .split('\n')
      .map((line) => (line.startsWith(indent!) ? line.slice(indent!.length) : line))
      .join('\n'),
  );
}

/** A PATH on which `baseten-bridge` is `bin` (made in `dir`), then node's folder and the PATH given. */
export function pathWithBridge(dir: string, bin: string, rest = process.env.PATH ?? ''): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  symlinkSync(bin, join(dir, 'bin/baseten-bridge'));
  return [join(dir, 'bin'), dirname(process.execPath), rest].join(delimiter);
}

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
function sudoShimDir(): string {
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

/** Runs `script` in `cwd` with the `sudo` shim first on PATH; `env` defaults to the test's own. */
export function runShellSteps(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  // --norc, BASH_ENV empty and no stdin: bash reads a bashrc even non-interactively when it thinks a remote
  // shell started it.
  const r = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], {
    cwd,
    env: { ...env, BASH_ENV: '', PATH: `${sudoShimDir()}:${env.PATH ?? ''}` },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
