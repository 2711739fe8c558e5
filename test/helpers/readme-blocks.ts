/**
 * The README's shell blocks as a reader copies them, and bash to run them: the blocks after an
 * `<!-- marker: ... -->` comment, with a list item's indentation removed; run with `--norc` and no stdin
 * (bash reads a bashrc even non-interactively when it thinks a remote shell started it), `-euo pipefail`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

/** The ```sh blocks that follow `<!-- marker` comments, in order. */
export function markedBlocks(marker: string): string[] {
  const pattern = new RegExp(`<!-- ${marker}[^>]*-->\\n( *)\`\`\`sh\\n([\\s\\S]*?)\\n *\`\`\``, 'g');
  return [...README.matchAll(pattern)].map(([, indent, body]) =>
    body!.split('\n').map((line) => (line.startsWith(indent!) ? line.slice(indent!.length) : line)).join('\n'),
  );
}

/** A PATH on which `baseten-bridge` is `bin` (made in `dir`), then node's folder and the PATH given. */
export function pathWithBridge(dir: string, bin: string, rest = process.env.PATH ?? ''): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  symlinkSync(bin, join(dir, 'bin/baseten-bridge'));
  return [join(dir, 'bin'), dirname(process.execPath), rest].join(delimiter);
}

export function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], { cwd, env: { ...env, BASH_ENV: '' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
