/**
 * The README's shell steps run as written: the blocks marked `<!-- readme-shell -->` are run by bash, with
 * /etc/baseten-bridge moved into a temporary folder, `baseten-bridge` on the PATH meaning this checkout's build
 * (test/deploy/install.test.ts runs the installed release), `sudo` a shim (test/helpers/docs-shell.ts) and the
 * bridge's account one this machine has (`nobody` when the tests run as root: the key is then given to a
 * non-root account, and check-config reads it as that account).
 * The blocks that cannot run here (docker, kubectl apply) are checked against the files they name.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, childEnv } from '../helpers/bridge-process.js';
import { markedBlocks, pathWithBridge, README, runShellSteps, serviceAccount } from '../helpers/docs-shell.js';

const ROOT = resolve(__dirname, '../..');
const runnable = markedBlocks('readme-shell');

describe('README shell steps', () => {
  it('marks the key and config steps', () => {
    expect(runnable).toHaveLength(2);
    expect(runnable[0]).toMatch(/^bridge_user=baseten-bridge /m);
    expect(runnable[0]).toContain('sudo install -m 0400 -o "$bridge_user"');
    expect(runnable[1]).toContain('sudo -u "$bridge_user" baseten-bridge check-config');
  });

  it(
    "run in order: the key file is the bridge account's alone, and " +
      'check-config run as that account accepts the minimal config',
    () => {
      const home = mkdtempSync(join(tmpdir(), 'readme-shell-'));
      // The bridge's account reaches /etc/baseten-bridge through the test's folder, as it would reach /etc.
      chmodSync(home, 0o755);
      const etc = join(home, 'etc/baseten-bridge');
      const account = serviceAccount();
      const script = runnable
        .join('\n')
        .replaceAll('/etc/baseten-bridge', etc)
        .replace(/^bridge_user=baseten-bridge /m, `bridge_user=${account.name} `);
      const run = runShellSteps(script, home, { ...childEnv({}, home), PATH: pathWithBridge(home, BIN) });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const key = statSync(join(etc, 'api_key'));
      expect(key.mode & 0o777).toBe(0o400);
      expect(key.uid).toBe(account.uid);
      expect(run.stdout.trim()).toBe(
        `${etc}/bridge.yml: OK: upstream https://app.baseten.co/metrics every ` +
          `1m (timeout 20s, max staleness 5m), 0 relabel rule(s), key ` +
          `abcdefgh.*** from upstream.api_key_file ${etc}/api_key`,
      );
    },
  );

  it('the Kubernetes steps name the Secret, Deployment and image the manifests use', () => {
    const k8s = README.slice(README.indexOf('### On Kubernetes'), README.indexOf('## Configuration'));
    const deployment = readFileSync(join(ROOT, 'deploy/kubernetes/deployment.yaml'), 'utf8');
    const kustomization = readFileSync(join(ROOT, 'deploy/kubernetes/kustomization.yaml'), 'utf8');
    const secret = /kubectl create secret generic (\S+) --from-file=(\w+)=/.exec(k8s)!;
    expect(deployment).toContain(`secretName: ${secret[1]}`);
    expect(readFileSync(join(ROOT, 'deploy/kubernetes/bridge.yml'), 'utf8')).toMatch(
      new RegExp(`api_key_file: \\S+/${secret[2]}\\b`),
    );
    expect(k8s).toContain(
      `kubectl rollout status deployment/${/^kind: Deployment\nmetadata:\n {2}name: (\S+)/m.exec(deployment)![1]}`,
    );
    expect(k8s).toContain('docker build');
    expect(kustomization).toMatch(/images:\n[\s\S]*- name: baseten-metrics-bridge\n\s+newName:/);
  });
});
