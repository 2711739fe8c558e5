/**
 * deploy/systemd/baseten-bridge.service: `systemd-analyze verify` accepts it (no systemd runs here as PID 1:
 * verify loads the unit offline and checks every setting and that its programs exist), `systemd-analyze
 * security` rates its sandbox, the settings the issue asks for are there, and the README's steps for it run
 * as written or name what the unit names. test/deploy/install.test.ts starts the installed release the way
 * the unit's ExecStart and ExecReload say.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, childEnv } from '../helpers/bridge-process.js';
import { markedBlocks, pathWithBridge, README, runShellSteps } from '../helpers/docs-shell.js';
import { requireBinary } from '../helpers/require-binary.js';
import { environment, readUnit, single, UNIT_PATH } from '../helpers/systemd-unit.js';

const ROOT = resolve(__dirname, '../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; files: string[] };
const analyze = requireBinary('systemd-analyze', 'systemd');
const { text, unit } = readUnit();
const execStart = single(unit, 'Service', 'ExecStart').split(/\s+/);
const flag = (name: string) => execStart.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

/**
 * The unit as a file named as installed, its ExecStart program moved to this checkout's bin (verify needs it to exist).
 */
function unitCopy(edit: (text: string) => string = (t) => t): string {
  const dir = mkdtempSync(join(tmpdir(), 'systemd-unit-'));
  const path = join(dir, basename(UNIT_PATH));
  writeFileSync(path, edit(text.replace(`ExecStart=${execStart[0]} `, `ExecStart=${BIN} `)));
  return path;
}

function run(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(analyze!, args, {
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!analyze)('systemd-analyze', () => {
  const verify = (path: string) => run(['verify', '--man=no', '--generators=no', path]);

  it('verify passes, with nothing to say', () => {
    expect(verify(unitCopy())).toEqual({ code: 0, out: '' });
  });

  it.each<[string, (text: string) => string, RegExp]>([
    [
      'a misspelt setting',
      (t) => t.replace('ProtectHome=yes', 'ProtectHomee=yes'),
      /Unknown key '?ProtectHomee'? in section '?\[?Service\]?'?/,
    ],
    [
      'a bad value',
      (t) => t.replace('ProtectSystem=strict', 'ProtectSystem=strictly'),
      /Failed to parse protect system value, ignoring: strictly/,
    ],
    [
      'an ExecStart program that does not exist',
      (t) => t.replace(`ExecStart=${BIN} `, 'ExecStart=/nonexistent/baseten-bridge '),
      /Command \/nonexistent\/baseten-bridge is not executable/,
    ],
  ])('verify is live: it reports %s', (_what, edit, complaint) => {
    expect(verify(unitCopy(edit)).out).toMatch(complaint);
  });

  it('security rates the sandbox OK (exposure 1.5 or less of 10)', () => {
    const { code, out } = run(['security', '--offline=true', '--no-pager', unitCopy()]);
    expect(code, out).toBe(0);
    const exposure = /Overall exposure level for baseten-bridge\.service: (\d+\.\d) (\S+)/.exec(out);
    expect(exposure, out).not.toBeNull();
    expect(Number(exposure![1])).toBeLessThanOrEqual(1.5);
    expect(exposure![2]).toBe('OK');
  });
});

describe('the unit', () => {
  it.each([
    ['DynamicUser', 'yes'],
    ['StateDirectory', 'baseten-bridge'],
    ['LoadCredential', 'api_key:/etc/baseten-bridge/api_key'],
    ['ExecReload', '/bin/kill -HUP $MAINPID'],
    ['Restart', 'on-failure'],
    ['NoNewPrivileges', 'yes'],
    ['ProtectSystem', 'strict'],
    ['ProtectHome', 'yes'],
    ['PrivateTmp', 'yes'],
    ['PrivateDevices', 'yes'],
    ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
    ['CapabilityBoundingSet', ''],
  ])('sets %s=%s', (key, value) => {
    expect(single(unit, 'Service', key)).toBe(value);
  });

  it('filters system calls to @system-service, and leaves V8 its writable, executable memory', () => {
    expect(unit.Service!.SystemCallFilter).toContain('@system-service');
    expect(unit.Service!.MemoryDenyWriteExecute).toBeUndefined();
  });

  it(
    'starts the installed bin itself (so $MAINPID is the bridge), its ' +
      'state in the state directory, the key from its credential',
    () => {
      expect(execStart[0]).toBe('/usr/local/bin/baseten-bridge');
      expect(execStart.join(' ')).not.toMatch(/\bnpx?\b|\bsh\b/);
      expect(flag('storage.path')).toBe(`%S/${single(unit, 'Service', 'StateDirectory')}`);
      expect(flag('config.file')).toBe('/etc/baseten-bridge/bridge.yml');
      const credential = single(unit, 'Service', 'LoadCredential').split(':')[0];
      expect(environment(unit).BASETEN_API_KEY_FILE).toBe(`%d/${credential}`);
      expect(single(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
    },
  );
});

describe('README: Run it as a service (systemd)', () => {
  const section = README.slice(
    README.indexOf('### Run it as a service (systemd)'),
    README.indexOf('### On Kubernetes'),
  );
  const [keyAndConfig] = markedBlocks('readme-systemd');

  it(
    'runs the key and config steps as written: a root-only key, a readable ' +
      'config without api_key_file that check-config accepts',
    () => {
      const home = mkdtempSync(join(tmpdir(), 'readme-systemd-'));
      const etc = join(home, 'etc/baseten-bridge');
      const run = runShellSteps(keyAndConfig!.replaceAll('/etc/baseten-bridge', etc), home, {
        ...childEnv({}, home),
        PATH: pathWithBridge(home, BIN),
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(statSync(join(etc, 'api_key')).mode & 0o777).toBe(0o400);
      expect(statSync(join(etc, 'bridge.yml')).mode & 0o777).toBe(0o644);
      expect(statSync(etc).mode & 0o777).toBe(0o755);
      // upstream.api_key_file would win over the unit's BASETEN_API_KEY_FILE, and name a file the service cannot read.
      expect(
        (parse(readFileSync(join(etc, 'bridge.yml'), 'utf8')) as { upstream: object }).upstream,
      ).not.toHaveProperty('api_key_file');
      expect(run.stdout).toMatch(
        new RegExp(
          `^${etc}/bridge\\.yml: OK: .*, key abcdefgh\\.\\*\\*\\* from BASETEN_API_KEY_FILE ${etc}/api_key\\n$`,
        ),
      );
    },
  );

  it("names the unit's key, config and program, and the unit file where the install puts it", () => {
    const installed = `/usr/local/lib/node_modules/${PKG.name}/deploy/systemd/${basename(UNIT_PATH)}`;
    expect(PKG.files).toContain('deploy');
    expect(section).toContain(`install -m 0644 ${installed} /etc/systemd/system/`);
    expect(markedBlocks('readme-install')[0]).toContain('npm install -g --prefix /usr/local ');
    expect(keyAndConfig).toContain(`/dev/stdin ${single(unit, 'Service', 'LoadCredential').split(':')[1]} `);
    expect(keyAndConfig).toContain(`--config.file=${flag('config.file')}`);
    const name = basename(UNIT_PATH, '.service');
    for (const command of [
      'systemctl daemon-reload',
      `systemctl enable --now ${name}`,
      `systemctl reload ${name}`,
      `systemctl restart ${name}`,
    ]) {
      expect(section).toContain(command);
    }
  });
});
