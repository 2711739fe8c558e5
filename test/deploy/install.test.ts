/**
 * The packed release installs and runs without the checkout (issue 24). `npm pack` runs in a copy of the
 * sources without dist/ (its `prepare` script builds dist/ there, never in the checkout the other tests run
 * from); then the README's install block as written, with /usr/local moved into a temporary prefix, `sudo`
 * left out, and npm offline with an empty cache (the tarball carries its dependencies, so a host without the
 * registry can install it); then the installed `baseten-bridge` from a folder that is not the checkout:
 * --version, check-config, and the bridge started the way deploy/systemd/baseten-bridge.service starts it.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { BIN } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';
import { markedBlocks, runShellSteps } from '../helpers/docs-shell.js';
import { environment, readUnit, single } from '../helpers/systemd-unit.js';

const ROOT = resolve(__dirname, '../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** What the build reads, beside what package.json's `files` ships. */
const SOURCES = [
  ...PKG.files,
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'src',
  'README.md',
  'LICENSE',
];
/** systemd's PATH for services (systemd.exec(5), "Environment variables in spawned processes"). */
const SYSTEMD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

let tmp: string;
let prefix: string;
let installed: string;
let install: { status: number | null; stdout: string; stderr: string };

/** The environment of an operator's shell: none of the npm_* variables `npm test` sets, no key, npm offline. */
function operatorEnv(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_|^BASETEN_API_KEY/i.test(name)));
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.startsWith(ROOT));
  return {
    ...env,
    HOME: home,
    PATH: [join(prefix, 'bin'), dirname(process.execPath), ...path].join(delimiter),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bridge-install-'));
  // The service below may run as an unprivileged user: it must reach the prefix, as it would /usr/local.
  chmodSync(tmp, 0o755);
  prefix = join(tmp, 'usr/local');
  installed = join(prefix, 'lib/node_modules', PKG.name);
  const sources = join(tmp, 'sources');
  for (const entry of SOURCES)
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(sources, entry), { recursive: true });
  // A copy, not a link: npm bundles only what it finds under the package's own node_modules (about 1 s).
  cpSync(join(ROOT, 'node_modules'), join(sources, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  const release = join(tmp, 'release');
  mkdirSync(release);
  const pack = spawnSync('npm', ['pack', '--pack-destination', release], {
    cwd: sources,
    env: operatorEnv(tmp),
    encoding: 'utf8',
  });
  expect(pack.status, pack.stderr).toBe(0);
  rmSync(sources, { recursive: true, force: true });
  const [block] = markedBlocks('readme-install');
  install = runShellSteps(block!.replaceAll('/usr/local', prefix), release, operatorEnv(tmp));
}, 180_000);

describe('the packed release, installed as the README says', () => {
  it('installs offline, with nothing on stderr, and prints its version', () => {
    expect(install.stderr).toBe('');
    expect(install.status).toBe(0);
    expect(install.stdout.trimEnd().split('\n').pop()).toBe(
      `baseten-bridge, version ${PKG.version} (node ${process.version})`,
    );
  });

  it('holds what it runs on and ships, its production dependencies, and nothing of the development tree', () => {
    for (const file of [
      'dist/main.js',
      'bin/baseten-bridge.js',
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'deploy/systemd/baseten-bridge.service',
      'deploy/kubernetes/kustomization.yaml',
      'grafana/dashboards',
    ]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    for (const dependency of Object.keys(PKG.dependencies))
      expect(existsSync(join(installed, 'node_modules', dependency, 'package.json')), dependency).toBe(true);
    for (const dependency of Object.keys(PKG.devDependencies))
      expect(existsSync(join(installed, 'node_modules', dependency)), dependency).toBe(false);
    for (const entry of ['src', 'test', 'bench', 'package-lock.json', 'baseten_api_key'])
      expect(existsSync(join(installed, entry)), entry).toBe(false);
  });

  it('runs --version and check-config from another folder, as the checkout build does', () => {
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const key = generateApiKey();
    writeFileSync(join(elsewhere, 'api_key'), `${key}\n`, { mode: 0o400 });
    writeFileSync(join(elsewhere, 'bridge.yml'), 'upstream:\n  api_key_file: api_key\n');
    const env = operatorEnv(elsewhere);
    const run = (command: string, args: string[]) =>
      spawnSync(command, args, { cwd: elsewhere, env, encoding: 'utf8' });
    expect(run(join(prefix, 'bin/baseten-bridge'), ['--version']).stdout).toBe(
      `baseten-bridge, version ${PKG.version} (node ${process.version})\n`,
    );
    const args = ['check-config', `--config.file=${join(elsewhere, 'bridge.yml')}`];
    const fromInstall = run(join(prefix, 'bin/baseten-bridge'), args);
    expect(fromInstall.stderr).toBe('');
    expect(fromInstall.status).toBe(0);
    expect(fromInstall.stdout).toMatch(
      new RegExp(
        `^${elsewhere}/bridge\\.yml: OK: upstream ` +
          `https://app\\.baseten\\.co/metrics .*, key ${key.split('.')[0]}\\.\\*\\*\\* ` +
          `from upstream\\.api_key_file ${elsewhere}/api_key\\n$`,
      ),
    );
    expect(fromInstall.stdout).toBe(run(process.execPath, [BIN, ...args]).stdout);
    expect(leakFinder(key)({ stdout: fromInstall.stdout })).toEqual([]);
  });
});

describe('the installed release, started as deploy/systemd/baseten-bridge.service starts it', () => {
  const key = generateApiKey();
  let simulator: RunningSimulator | undefined;
  afterAll(async () => simulator?.close());

  it(
    'from /, as an unprivileged user when the test is root, the key only ' +
      'from its credential: ready, reloads on ExecReload, stops on SIGTERM',
    async () => {
      const { unit } = readUnit();
      simulator = await startSimulator({ apiKey: key });
      const root = join(tmp, 'service');
      // What the operator made (README): the key root's, 0400; the config readable, without api_key_file.
      const etc = join(root, 'etc/baseten-bridge');
      mkdirSync(etc, { recursive: true, mode: 0o755 });
      writeFileSync(join(etc, 'api_key'), `${key}\n`, { mode: 0o400 });
      writeFileSync(join(etc, 'bridge.yml'), `upstream:\n  url: ${simulator.url}\n`, { mode: 0o644 });
      // What systemd makes at start for the service's user: the state directory and the credentials directory.
      const stateRoot = join(root, 'var/lib');
      const creds = join(root, 'run/credentials/baseten-bridge.service');
      const resolveUnit = (text: string) =>
        text
          .replaceAll('%S', stateRoot)
          .replaceAll('%d', creds)
          .replaceAll('/etc/baseten-bridge', etc)
          .replace('/usr/local', prefix);
      const state = join(stateRoot, single(unit, 'Service', 'StateDirectory'));
      mkdirSync(stateRoot, { recursive: true });
      mkdirSync(state, { mode: 0o700 });
      mkdirSync(creds, { recursive: true });
      const [credential, source] = single(unit, 'Service', 'LoadCredential').split(':') as [string, string];
      copyFileSync(resolveUnit(source), join(creds, credential));
      chmodSync(join(creds, credential), 0o400);
      chmodSync(creds, 0o500);
      const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      if (user.uid !== undefined)
        for (const path of [state, creds, join(creds, credential)]) chownSync(path, user.uid, user.gid!);

      const port = await freePort();
      const [program, ...args] = resolveUnit(single(unit, 'Service', 'ExecStart'))
        .split(/\s+/)
        .map((arg) => (arg.startsWith('--web.listen-address=') ? `--web.listen-address=127.0.0.1:${port}` : arg));
      const unitEnv = Object.fromEntries(
        Object.entries(environment(unit)).map(([name, value]) => [name, resolveUnit(value)]),
      );
      // node's own folder last: a no-op where node is in /usr/bin, as on the hosts the unit is for.
      const env = {
        PATH: `${SYSTEMD_PATH}${delimiter}${dirname(process.execPath)}`,
        HOME: '/',
        LANG: 'C.UTF-8',
        STATE_DIRECTORY: state,
        CREDENTIALS_DIRECTORY: creds,
        ...unitEnv,
      };
      const child = spawn(program!, args, { cwd: '/', env, ...user, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      child.stdout.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr.on('data', (d: Buffer) => (log += d.toString()));
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      try {
        const ready = pollUntil(
          '/-/ready',
          async () => ((await fetch(`http://127.0.0.1:${port}/-/ready`)).status === 200 ? true : undefined),
          30_000,
        );
        await Promise.race([
          ready,
          exited.then((code) => Promise.reject(new Error(`the bridge exited (${code}) before it was ready:\n${log}`))),
        ]);
        await pollUntil('the budget state in the state directory', () =>
          existsSync(join(state, 'budgets.json')) ? true : undefined,
        );
        // ExecReload as systemd runs it: $MAINPID is the process ExecStart started, which is the bridge.
        const [kill, ...killArgs] = single(unit, 'Service', 'ExecReload')
          .replace('$MAINPID', String(child.pid))
          .split(/\s+/);
        expect(spawnSync(kill!, killArgs).status).toBe(0);
        await pollUntil('the reload', () => (log.includes('msg="config reloaded;') ? true : undefined));
        expect(log).toContain(`key=${key.split('.')[0]}.***`);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      expect(simulator.requests.length).toBeGreaterThan(0);
      expect(leakFinder(key)({ log })).toEqual([]);
    },
    60_000,
  );
});
