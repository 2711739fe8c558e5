/**
 * Issue 15, "fail fast": every start-up failure exits non-zero at once with one line, so systemd, Compose and
 * Kubernetes restart policies can act. Real processes; each must exit within a deadline (not hang).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge } from '../helpers/bridge-process.js';

const DEADLINE_MS = 10_000;

/** Runs the bridge and fails the test if it has not exited within the deadline. */
async function exitsAtOnce(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const proc = spawnBridge(args, env);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), DEADLINE_MS);
  const code = await proc.exited;
  clearTimeout(timer);
  expect(proc.child.signalCode, `still running after ${DEADLINE_MS} ms: ${proc.stderr()}`).toBeNull();
  return { code, stderr: proc.stderr(), stdout: proc.stdout() };
}

describe('start-up failures exit at once with one line', () => {
  const key = generateApiKey();
  const dir = mkdtempSync(join(tmpdir(), 'bridge-fail-fast-'));
  let taken: Server;
  let port: number;
  let simulator: RunningSimulator;
  let configFile: string;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
    simulator = await startSimulator({ apiKey: key });
    configFile = join(dir, 'bridge.yml');
    writeFileSync(configFile, `upstream:\n  url: ${simulator.url}\n  interval: 15s\n`);
  });

  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await simulator?.close();
  });

  const inUse = () =>
    `baseten-bridge: --web.listen-address: cannot listen on 127.0.0.1:${port} ` +
    `(EADDRINUSE): another process already listens there; stop it, or ` +
    `choose another port with --web.listen-address`;

  it('demo on a port in use', async () => {
    const { code, stderr } = await exitsAtOnce(
      ['demo', `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
      childEnv({}, dir),
    );
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(inUse());
  });

  it('the server on a port in use', async () => {
    const { code, stderr } = await exitsAtOnce(
      [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.path=', '--log.level=error'],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(inUse());
  });

  it('TLS material that cannot be read', async () => {
    const web = join(dir, 'web.yml');
    writeFileSync(web, 'tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n');
    const { code, stderr } = await exitsAtOnce(
      [
        `--config.file=${configFile}`,
        `--web.config.file=${web}`,
        '--web.listen-address=127.0.0.1:0',
        '--storage.path=',
        '--log.level=error',
      ],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines)
      expect(line).toMatch(
        new RegExp(
          `^baseten-bridge: web config ` +
            `${web.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ` +
            `tls_server_config\\.(cert|key)_file: `,
        ),
      );
  });

  it.each([
    [
      ['--web.listen-address=nonsense'],
      'baseten-bridge: --web.listen-address: "nonsense" is not HOST:PORT (e.g. :9932 or 127.0.0.1:9932)',
    ],
    [['--shard=4/3'], 'baseten-bridge: --shard: "4/3": i must be from 0 to n-1 and n at least 1 (e.g. 2/3)'],
  ])('bad flags %j', async (args, line) => {
    const { code, stderr } = await exitsAtOnce(
      [`--config.file=${configFile}`, '--storage.path=', ...args],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(line);
  });

  it('a config problem is one line naming the file and the field', async () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'upstream:\n  intervall: 30s\n');
    const { code, stderr } = await exitsAtOnce(
      [`--config.file=${bad}`, '--storage.path='],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `baseten-bridge: config ${bad}: upstream.intervall: unknown field (did you mean "interval"?)`,
    );
  });
});
