/**
 * Tests that drive a real program (prometheus, promtool, ...) call this at collection time.
 * Without the program they skip loudly; with CI set they fail, so CI can never pass by skipping.
 */
import { execFileSync } from 'node:child_process';

export function findBinary(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Returns the binary's path, or undefined after printing a loud skip notice (throws when CI is set). */
export function requireBinary(name: string, debianPackage: string): string | undefined {
  const found = findBinary(name);
  if (found) return found;
  const message =
    `${name} is not installed (apt-get install -y --no-install-recommends ` +
    `${debianPackage}): tests that need it are SKIPPED`;
  if (process.env.CI) throw new Error(`${message} — but CI is set, so this is a failure`);
  process.stderr.write(`\n!!! ${message}\n\n`);
  return undefined;
}
