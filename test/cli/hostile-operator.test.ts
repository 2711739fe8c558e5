/**
 * An unlucky operator, against the real process: a storage path that cannot work fails the start in one
 * line; failed state writes are counted; nothing but the configured log format is ever printed, even when
 * node-cron misses ticks; SIGTERM mid-cycle (a large body being built) exits within 2 s, with the budget
 * file whole.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';

let upstream: TestServer | undefined;
let bridge: BridgeProcess | undefined;
afterEach(async () => {
  await bridge?.stop('SIGKILL');
  await upstream?.close();
  bridge = upstream = undefined;
});

const SMALL = '# TYPE baseten_replicas_active gauge\nbaseten_replicas_active{model_name="m"} 1\n';

async function setup(
  body: () => string | Buffer = () => SMALL,
  onFinish?: () => void,
): Promise<{ dir: string; port: number; env: NodeJS.ProcessEnv }> {
  upstream = await startTestServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.on('finish', () => onFinish?.());
    res.end(body());
  });
  const dir = mkdtempSync(join(tmpdir(), 'bridge-unlucky-'));
  writeFileSync(join(dir, 'bridge.yml'), `upstream:\n  url: ${upstream.url}\n  interval: 60s\n  timeout: 30s\n`);
  return { dir, port: await freePort(), env: childEnv({ BASETEN_API_KEY: generateApiKey() }, dir) };
}

/** The process's exit code, or a failure when it is still running after `ms`. */
async function exitWithin(proc: BridgeProcess, ms: number): Promise<number | null> {
  const timer = new Promise<'running'>((r) => setTimeout(() => r('running'), ms));
  const code = await Promise.race([proc.exited, timer]);
  if (code === 'running') throw new Error(`still running after ${ms} ms`);
  return code;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('an unlucky operator', () => {
  it.each<[string, (dir: string) => string, RegExp]>([
    [
      'a path under /proc',
      () => '/proc/self/nope',
      new RegExp(
        String.raw`^baseten-bridge: --storage\.path: cannot create ` +
          String.raw`\/proc\/self\/nope \(ENOENT at \/proc\/self\/nope\); pass ` +
          String.raw`--storage\.path=DIR \(a writable directory\), or ` +
          String.raw`--storage\.path= to keep the budget in memory only\n$`,
      ),
    ],
    [
      'a file',
      (dir) => join(dir, 'bridge.yml'),
      new RegExp(
        String.raw`^baseten-bridge: --storage\.path: .*bridge\.yml is not a ` +
          String.raw`directory; pass --storage\.path=DIR \(a writable ` +
          String.raw`directory\), or --storage\.path= to keep the budget in ` +
          String.raw`memory only\n$`,
      ),
    ],
    [
      'a folder under a file',
      (dir) => join(dir, 'bridge.yml', 'state'),
      /^baseten-bridge: --storage\.path: .*bridge\.yml is not a directory; pass --storage\.path=DIR/,
    ],
  ])('--storage.path that is %s: one line, exit 1, at once', async (_what, path, message) => {
    const { dir, port, env } = await setup();
    bridge = spawnBridge(
      ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, `--storage.path=${path(dir)}`],
      env,
    );
    expect(await exitWithin(bridge, 10_000)).toBe(1);
    expect(bridge.stderr()).toMatch(message);
    expect(upstream!.requests).toHaveLength(0);
  });

  it(
    'the default --storage.path where no folder can be made (a service ' +
      'started in /): one line that says it is the default',
    async () => {
      const { dir, port, env } = await setup();
      // /proc takes no folder, for root either: as `data` in / for a service's unprivileged user.
      bridge = spawnBridge(
        [`--config.file=${join(dir, 'bridge.yml')}`, `--web.listen-address=127.0.0.1:${port}`],
        env,
        undefined,
        '/proc',
      );
      expect(await exitWithin(bridge, 10_000)).toBe(1);
      expect(bridge.stderr()).toBe(
        'baseten-bridge: --storage.path: cannot create data (ENOENT at ' +
          '/proc/data); data is the default, relative to the working directory ' +
          '/proc: pass --storage.path=DIR (a writable directory), or ' +
          '--storage.path= to keep the budget in memory only\n',
      );
      expect(upstream!.requests).toHaveLength(0);
    },
  );

  it('counts state writes that fail, and warns once', async () => {
    const { dir, port, env } = await setup();
    // The temporary file's name taken by a folder: every write fails, as on a full or read-only disk.
    mkdirSync(join(dir, 'state', 'budgets.json.tmp'), { recursive: true });
    bridge = spawnBridge(
      ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path=state'],
      env,
    );
    await pollUntil('the failed write to be counted', async () =>
      (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).includes(
        'baseten_bridge_state_write_failures_total 1',
      )
        ? true
        : undefined,
    );
    expect(bridge.stderr()).toMatch(
      /level=warn msg="cannot write .*budgets\.json \(EISDIR\); a restart loop could exceed the rate budget"/,
    );
  });

  it('prints nothing but logfmt lines on stderr, and nothing on stdout, when node-cron misses ticks', async () => {
    const { port, env } = await setup();
    bridge = spawnBridge(
      ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path=', '--log.level=debug'],
      env,
    );
    await pollUntil('the first fetch', () =>
      bridge!.stderr().includes('msg="fetched Baseten metrics"') ? true : undefined,
    );
    // Stopped for 3 s, the process wakes to several missed ticks.
    bridge.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 3_000));
    bridge.child.kill('SIGCONT');
    await pollUntil('the missed ticks to be logged (or printed)', () =>
      /missed execution/.test(bridge!.stderr() + bridge!.stdout()) ? true : undefined,
    );
    expect(bridge.stdout()).toBe('');
    const lines = bridge.stderr().trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^ts=\S+ level=(debug|info|warn|error) msg=/);
    expect(lines.some((l) => l.includes('level=debug msg="scheduler: missed execution'))).toBe(true);
  });

  it('SIGTERM while a large body is being built: exits 0 within 2 s, the budget file whole', async () => {
    // ~45 MB of distinct series: a cold build of it takes seconds.
    const lines: string[] = ['# TYPE baseten_inference_requests_total counter'];
    for (let i = 0; i < 400_000; i++)
      lines.push(
        `baseten_inference_requests_total{model_id="m${i % 997}",replica="r${i}",` +
          `pod="p${(i * 7919).toString(36)}",status_code="200"} ${i}`,
      );
    const big = Buffer.from(`${lines.join('\n')}\n`);
    let finished = false;
    const { dir, port, env } = await setup(
      () => big,
      () => (finished = true),
    );
    bridge = spawnBridge(
      ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path=state'],
      env,
    );
    const pid = bridge.child.pid!;
    await pollUntil('the body to be sent', () => (finished ? true : undefined), 20_000, 10);
    const cpuAtBody = cpuSeconds(pid);
    await pollUntil(
      'the build to be under way',
      () => (cpuSeconds(pid) - cpuAtBody > 0.3 ? true : undefined),
      20_000,
      20,
    );
    expect(bridge.stderr()).not.toContain('msg="fetched Baseten metrics"');
    const started = Date.now();
    bridge.child.kill('SIGTERM');
    expect(await exitWithin(bridge, 5_000)).toBe(0);
    const took = Date.now() - started;
    process.stdout.write(`SIGTERM mid-build: exited in ${took} ms\n`);
    expect(took).toBeLessThan(2_000);
    expect(bridge.stderr()).toContain('msg=stopped');
    const state = JSON.parse(readFileSync(join(dir, 'state', 'budgets.json'), 'utf8')) as {
      budgets: Array<{ requests: number[] }>;
    };
    expect(state.budgets[0]!.requests).toHaveLength(1);
  }, 60_000);
});
