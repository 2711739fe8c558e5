/**
 * The Grafana steps of README.md and docs/DASHBOARDS.md as written: the shell block that installs the
 * dashboards provider and the dashboards runs (with /etc/grafana and /var/lib/grafana moved into a temporary
 * folder and `sudo` a shim) and leaves the JSON files where the provider reads them; the container's mounts
 * and every path the docs name are the provider's; the data source that all of grafana/provisioning/ brings is
 * said; the HTTP API's inputs are the ones the dashboards declare. (Grafana itself is not installed here.)
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS } from '../../grafana/generator/index.js';
import { importAs } from '../grafana/dashboard-model.js';
import { runShellSteps } from '../helpers/docs-shell.js';

const ROOT = resolve(__dirname, '../..');
const text = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const DOCS = text('docs/DASHBOARDS.md');
const README = text('README.md');
const PROVIDER_FILE = 'grafana/provisioning/dashboards/baseten.yml';
const provider = (parse(text(PROVIDER_FILE)) as { providers: Array<{ options: { path: string } }> }).providers[0]!;
const datasource = (
  parse(text('grafana/provisioning/datasources/prometheus.yml')) as {
    datasources: Array<{ name: string; url: string }>;
  }
).datasources[0]!;
const section = (doc: string, heading: string) =>
  doc.slice(doc.indexOf(heading), doc.indexOf('\n#', doc.indexOf(heading) + heading.length));
const provisioning = section(DOCS, '## Provision them from files');

describe('Grafana provisioning steps (docs/DASHBOARDS.md)', () => {
  const shell = /<!-- docs-shell[^>]*-->\n```sh\n([\s\S]*?)\n```/.exec(provisioning)?.[1];

  it('run as written: the provider in provisioning/dashboards, the dashboards where it reads them', () => {
    expect(shell).toBeDefined();
    const root = mkdtempSync(join(tmpdir(), 'grafana-provisioning-'));
    const script = shell!
      .replaceAll('/etc/grafana', `${root}/etc/grafana`)
      .replaceAll('/var/lib/grafana', `${root}/var/lib/grafana`);
    const r = runShellSteps(script, ROOT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const installed = parse(readFileSync(`${root}/etc/grafana/provisioning/dashboards/baseten.yml`, 'utf8')) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(installed.providers[0]!.options.path).toBe(provider.options.path);
    expect(readdirSync(`${root}${provider.options.path}`).sort()).toEqual(DASHBOARDS.map((d) => d.file).sort());
  });

  it(
    "mounts, in a container, the provider's folder (the provider alone) " + "and the dashboards at the provider's path",
    () => {
      const mounts = [...provisioning.matchAll(/-v "\$PWD\/([^:]+):([^:]+):ro"/g)].map(([, from, to]) => [from, to]);
      expect(mounts).toEqual([
        ['grafana/provisioning/dashboards', '/etc/grafana/provisioning/dashboards'],
        ['grafana/dashboards', provider.options.path],
      ]);
      expect(readdirSync(resolve(ROOT, 'grafana/provisioning/dashboards'))).toEqual(['baseten.yml']);
    },
  );

  it.each([
    ['README.md', README],
    ['docs/DASHBOARDS.md', DOCS],
    ['docker-compose.yml', text('docker-compose.yml')],
  ])("%s names only the provider's path for the dashboards", (_name, doc) => {
    const paths = [...doc.matchAll(/\/var\/lib\/grafana\/dashboards[^\s`:)]*/g)].map((m) => m[0]);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths)
      expect(path === provider.options.path || path.startsWith(`${provider.options.path}/`), path).toBe(true);
  });

  it.each([
    ['README.md', section(README, '## Dashboards and alerts')],
    ['docs/DASHBOARDS.md', provisioning],
  ])('%s says that all of grafana/provisioning/ also provisions a data source, and its URL', (_name, doc) => {
    expect(doc).toContain('all of `grafana/provisioning/`');
    expect(doc).toContain(datasource.url);
  });

  it('says which data source a provisioned dashboard starts on: the provisioned one, by name', () => {
    expect(provisioning).toContain(`on the data source named \`${datasource.name}\``);
  });
});

describe('importing through the HTTP API (docs/DASHBOARDS.md)', () => {
  it('gives every input the dashboards declare', () => {
    const inputs = JSON.parse(`{${/`("inputs": \[[^`]+\])`/.exec(DOCS)![1]!}}`) as {
      inputs: Array<{ name: string; type: string; pluginId: string; value: string }>;
    };
    for (const { file } of DASHBOARDS) {
      const dashboard = text(`grafana/dashboards/${file}`);
      const declared = (JSON.parse(dashboard) as { __inputs: Array<{ name: string; type: string; pluginId: string }> })
        .__inputs;
      expect(inputs.inputs.map(({ name, type, pluginId }) => ({ name, type, pluginId }))).toEqual(
        declared.map(({ name, type, pluginId }) => ({ name, type, pluginId })),
      );
      expect(() => importAs(dashboard, Object.fromEntries(inputs.inputs.map((i) => [i.name, i.value])))).not.toThrow();
    }
  });
});
