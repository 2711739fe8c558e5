/**
 * Runs the built `baseten-bridge` (bin/ → dist/) as a child process, as a user would, capturing everything
 * it prints so tests can look for leaks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pollUntil } from './poll.js';

export const REPO_ROOT = resolve(__dirname, '../..');
export const BIN = resolve(REPO_ROOT, 'bin/baseten-bridge.js');

export function assertBuilt(): void {
  if (!existsSync(resolve(REPO_ROOT, 'dist/main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  }
}

export interface BridgeProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Environment for a child bridge: the parent's, minus any real Baseten key, plus `extra`. */
export function childEnv(extra: Record<string, string>, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  for (const name of ['BASETEN_API_KEY', 'BASETEN_API_KEY_FILE']) if (!(name in extra)) delete env[name];
  return env;
}

/**
 * Starts the bridge in `cwd`: by default the test's own HOME, so files it writes (the --storage.path state) stay out of
 * the repo.
 */
export function spawnBridge(args: string[], env: NodeJS.ProcessEnv, stdin?: string, cwd = env.HOME): BridgeProcess {
  assertBuilt();
  let out = '';
  let err = '';
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  if (stdin !== undefined) child.stdin!.end(stdin);
  else child.stdin!.end();
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a short-lived command to its end. */
export async function runBridge(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnBridge(args, env, stdin);
  const code = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

/** Resolves once the bridge at `baseUrl` (http://host:port) answers /-/ready with 200. */
export async function untilReady(baseUrl: string, timeoutMs = 20_000): Promise<void> {
  await pollUntil(
    'the bridge to be ready',
    async () => ((await fetch(`${baseUrl}/-/ready`)).ok ? true : undefined),
    timeoutMs,
  );
}
