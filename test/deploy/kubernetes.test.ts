/**
 * deploy/kubernetes built offline by `kubectl kustomize`, every object validated against its Kubernetes (or
 * Prometheus Operator) schema with kubernetes-models, then the properties the issue asks for: non-root,
 * read-only root file system, resources, probes on /-/healthy and /-/ready, the key Secret mounted as the
 * file the config names, and a PrometheusRule carrying the same rules as deploy/prometheus/rules.
 * (The schemas do not reject unknown fields: the property checks below read the fields that matter.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ruleGroups } from '../../deploy/generator/prometheus-rule.js';
import { keyFileExposure } from '../../src/config/index.js';
import { runShellSteps } from '../helpers/docs-shell.js';
import { requireBinary } from '../helpers/require-binary.js';

const ROOT = resolve(__dirname, '../..');
const kubectl = requireBinary('kubectl', 'kubernetes-client');

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [k: string]: unknown;
};

interface Container {
  args: string[];
  ports: Array<{ name: string; containerPort: number | string }>;
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: { httpGet: unknown };
  readinessProbe: { httpGet: unknown };
  volumeMounts: Array<{ name: string; mountPath: string; subPath?: string }>;
}

interface Volume {
  name: string;
  secret?: Record<string, unknown>;
  configMap?: { name: string };
}

interface DeploymentShape {
  spec: {
    replicas: number;
    strategy: { type: string };
    template: { spec: { securityContext: Record<string, unknown>; containers: Container[]; volumes: Volume[] } };
  };
}

interface PodSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
}

/**
 * The bridge reads its key from the Secret volume as the kubelet lays it out (pkg/volume/volume_linux.go
 * SetVolumeOwnership): files owned by root with `defaultMode`, and with an fsGroup, group fsGroup with 0440
 * ORed in. The process runs as runAsUser in runAsGroup and fsGroup: it must read the key through its group,
 * be given no "restrict it" warning it cannot act on, and the manifest's defaultMode must be what it gets.
 */
function expectKeyReadableWithoutWarning(pod: PodSecurity, secret: Record<string, unknown>): void {
  expect(pod.runAsUser).toBeGreaterThan(0);
  expect(pod.fsGroup, 'fsGroup (without it a root-owned key is unreadable)').toBeDefined();
  const file = { mode: (secret.defaultMode as number) | 0o440, gid: pod.fsGroup! };
  const groups = [pod.runAsGroup ?? 0, pod.fsGroup!];
  expect(file.mode & 0o040).toBe(0o040);
  expect(groups).toContain(file.gid);
  expect(keyFileExposure(file, groups)).toBeUndefined();
  expect(secret.defaultMode).toBe(file.mode);
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap as never,
  'v1/Service': Service as never,
  'apps/v1/Deployment': Deployment as never,
  'apps/v1/StatefulSet': StatefulSet as never,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as never,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule as never,
};

describe.skipIf(!kubectl)('deploy/kubernetes (kubectl kustomize)', () => {
  let objects: Manifest[];
  const find = <T>(kind: string) => objects.find((o) => o.kind === kind) as unknown as T;

  beforeAll(() => {
    const r = spawnSync(kubectl!, ['kustomize', resolve(ROOT, 'deploy/kubernetes')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    objects = parseAllDocuments(r.stdout).map((d) => d.toJS() as Manifest);
  });

  it('builds a ConfigMap, Deployment, Service, ServiceMonitor and PrometheusRule', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PrometheusRule',
      'Service',
      'ServiceMonitor',
    ]);
  });

  it('validates every object against its schema', () => {
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new Model!(o as never).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
  });

  it('rejects a broken object (the schema check is live)', () => {
    const broken = structuredClone(find<DeploymentShape>('Deployment'));
    broken.spec.template.spec.containers[0]!.ports[0]!.containerPort = 'http';
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort must be integer/);
  });

  it('runs one non-root bridge with a read-only root file system, resources and probes', () => {
    const d = find<DeploymentShape>('Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy.type).toBe('Recreate');
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const c = d.spec.template.spec.containers[0]!;
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits.memory).toBeDefined();
    expect(c.livenessProbe.httpGet).toEqual({ path: '/-/healthy', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'http' });
    expect(c.ports).toEqual([{ name: 'http', containerPort: 19340 }]);
    expect(c.args).toContain('--web.listen-address=:19340');
    // Writable places only where mounted: the rate budget state and /tmp.
    const storage = c.args.find((a) => a.startsWith('--storage.path='))!.split('=')[1];
    expect(c.volumeMounts.map((m) => m.mountPath)).toEqual(expect.arrayContaining([storage, '/tmp']));
  });

  it('mounts the key Secret as the file the config reads, and the config from the generated ConfigMap', () => {
    const d = find<DeploymentShape>('Deployment');
    const cm = find<Manifest & { data: Record<string, string> }>('ConfigMap');
    const config = parse(cm.data['bridge.yml']!) as { upstream: { api_key_file: string } };
    const c = d.spec.template.spec.containers[0]!;
    const secretVolume = d.spec.template.spec.volumes.find((v) => v.secret)!;
    expect(secretVolume.secret).toMatchObject({
      secretName: 'baseten-bridge-api-key',
      items: [{ key: 'api_key', path: 'api_key' }],
    });
    const mount = c.volumeMounts.find((m) => m.name === secretVolume.name)!;
    // No subPath: Kubernetes then updates the file in place when the Secret changes (rotation).
    expect(mount.subPath).toBeUndefined();
    expect(config.upstream.api_key_file).toBe(`${mount.mountPath}/api_key`);
    expectKeyReadableWithoutWarning(d.spec.template.spec.securityContext, secretVolume.secret!);
    const configVolume = d.spec.template.spec.volumes.find((v) => v.configMap)!;
    expect(configVolume.configMap?.name).toBe(cm.metadata.name);
    expect(c.args).toContain('--config.file=/etc/baseten-bridge/bridge.yml');
    expect(JSON.stringify(objects)).not.toMatch(/kind":"Secret"/);
  });

  it('exposes the bridge to the ServiceMonitor as job="baseten", not-ready pods included', () => {
    const svc = find<
      Manifest & {
        spec: { publishNotReadyAddresses: boolean; selector: Record<string, string>; ports: Array<{ name: string }> };
      }
    >('Service');
    const sm = find<{
      spec: {
        jobLabel: string;
        selector: { matchLabels: Record<string, string> };
        endpoints: Array<{ port: string; path: string }>;
      };
    }>('ServiceMonitor');
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
    expect(svc.metadata.labels?.[sm.spec.jobLabel]).toBe('baseten');
    expect(svc.metadata.labels).toMatchObject(sm.spec.selector.matchLabels);
    expect(sm.spec.endpoints).toMatchObject([{ port: svc.spec.ports[0]!.name, path: '/metrics' }]);
  });

  it('carries the rules of deploy/prometheus/rules in its PrometheusRule', () => {
    const rule = find<{ spec: { groups: unknown[] } }>('PrometheusRule');
    expect(rule.spec.groups).toEqual(ruleGroups(ROOT));
  });

  it('keeps the ConfigMap in step with deploy/kubernetes/bridge.yml', () => {
    const cm = find<Manifest & { data: Record<string, string> }>('ConfigMap');
    expect(cm.data['bridge.yml']).toBe(readFileSync(resolve(ROOT, 'deploy/kubernetes/bridge.yml'), 'utf8'));
  });
});

interface StatefulSetShape {
  spec: {
    replicas: number;
    serviceName: string;
    template: {
      spec: {
        securityContext: PodSecurity;
        containers: Array<
          Container & { env: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> }
        >;
        volumes: Volume[];
      };
    };
  };
}

describe.skipIf(!kubectl)('deploy/kubernetes/sharded (kubectl kustomize)', () => {
  let objects: Manifest[];
  const find = <T>(kind: string) => objects.find((o) => o.kind === kind) as unknown as T;

  beforeAll(() => {
    const r = spawnSync(kubectl!, ['kustomize', resolve(ROOT, 'deploy/kubernetes/sharded')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    objects = parseAllDocuments(r.stdout).map((d) => d.toJS() as Manifest);
  });

  it('builds a StatefulSet in place of the Deployment, on the same Service, ServiceMonitor and rules', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'PrometheusRule',
      'Service',
      'ServiceMonitor',
      'StatefulSet',
    ]);
    for (const o of objects)
      expect(() => new MODELS[`${o.apiVersion}/${o.kind}`]!(o as never).validate(), o.kind).not.toThrow();
    expect(find<StatefulSetShape>('StatefulSet').spec.serviceName).toBe(find<Manifest>('Service').metadata.name);
  });

  it('gives each pod the shard of its ordinal, with n equal to the replicas', async () => {
    const { parseShard } = await import('../../src/config/index.js');
    const sts = find<StatefulSetShape>('StatefulSet');
    const c = sts.spec.template.spec.containers[0]!;
    const arg = c.args.find((a) => a.startsWith('--shard='))!;
    expect(arg).toBe(`--shard=$(POD_NAME)/${sts.spec.replicas}`);
    expect(c.env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    // What Kubernetes passes to pod baseten-bridge-i once it expands $(POD_NAME).
    for (let i = 0; i < sts.spec.replicas; i++) {
      expect(parseShard(arg.slice('--shard='.length).replace('$(POD_NAME)', `baseten-bridge-${i}`))).toEqual({
        shard: { index: i, count: sts.spec.replicas },
      });
    }
  });

  it('splits the targets of its config over the replicas, each key file in the mounted Secret', async () => {
    const { buildConfig, inShard } = await import('../../src/config/index.js');
    const sts = find<StatefulSetShape>('StatefulSet');
    const cm = find<Manifest & { data: Record<string, string> }>('ConfigMap');
    const config = buildConfig(parse(cm.data['bridge.yml']!), 'sharded', '/');
    const names = config.targets.map((t) => t.name);
    const split = Array.from({ length: sts.spec.replicas }, (_, index) =>
      inShard(config.targets, { index, count: sts.spec.replicas }).map((t) => t.name),
    );
    expect(split.flat().sort()).toEqual([...names].sort());
    // Every pod has work: with three targets on three replicas, each shard holds exactly one.
    for (const [index, shard] of split.entries())
      expect(shard, `shard ${index} of ${sts.spec.replicas}`).toHaveLength(1);
    const c = sts.spec.template.spec.containers[0]!;
    const secretVolume = sts.spec.template.spec.volumes.find((v) => v.secret)!;
    const mount = c.volumeMounts.find((m) => m.name === secretVolume.name)!;
    for (const t of config.targets) expect(t.upstream.apiKeyFile).toBe(`${mount.mountPath}/${t.name}`);
    expectKeyReadableWithoutWarning(sts.spec.template.spec.securityContext, secretVolume.secret!);
  });
});

describe.skipIf(!kubectl)("kube-prometheus-stack's release label (README, On Kubernetes)", () => {
  const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const k8sSteps = README.slice(README.indexOf('### On Kubernetes'), README.indexOf('## Configuration'));
  const sed = /^sed -i .* deploy\/kubernetes\/common\/kustomization\.yaml$/m.exec(k8sSteps)?.[0];

  /** The objects a layout builds from a copy of deploy/ (after `steps` ran in the copy's root), by kind. */
  function build(layout: string, steps?: string): Manifest[] {
    const root = mkdtempSync(join(tmpdir(), 'k8s-release-'));
    cpSync(resolve(ROOT, 'deploy/kubernetes'), join(root, 'deploy/kubernetes'), { recursive: true });
    if (steps) {
      const r = runShellSteps(steps, root);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    const r = spawnSync(kubectl!, ['kustomize', join(root, layout)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return parseAllDocuments(r.stdout).map((d) => d.toJS() as Manifest);
  }

  const releaseOf = (objects: Manifest[]) =>
    Object.fromEntries(objects.map((o) => [o.kind, o.metadata.labels?.release]));

  it('is a step of the README, before the apply, with the command that reads the name from the Prometheus', () => {
    expect(sed).toBe(
      "sed -i 's/value: kube-prometheus-stack$/value: monitoring/' deploy/kubernetes/common/kustomization.yaml",
    );
    expect(k8sSteps).toContain(
      `kubectl get prometheus -A -o jsonpath='{.items[*].spec.serviceMonitorSelector}{"\\n"}'`,
    );
    expect(k8sSteps.indexOf(sed!)).toBeLessThan(k8sSteps.indexOf('kubectl apply -k deploy/kubernetes'));
  });

  it.each(['deploy/kubernetes', 'deploy/kubernetes/sharded'])(
    '%s: on the ServiceMonitor and the PrometheusRule only, ' +
      'kube-prometheus-stack by default, the name the step sets after it',
    (layout) => {
      const others = {
        ConfigMap: undefined,
        Service: undefined,
        [layout.endsWith('sharded') ? 'StatefulSet' : 'Deployment']: undefined,
      };
      expect(releaseOf(build(layout))).toEqual({
        ...others,
        ServiceMonitor: 'kube-prometheus-stack',
        PrometheusRule: 'kube-prometheus-stack',
      });
      const stepped = build(layout, sed);
      expect(releaseOf(stepped)).toEqual({ ...others, ServiceMonitor: 'monitoring', PrometheusRule: 'monitoring' });
      // Labels only: what the ServiceMonitor selects is unchanged.
      expect(stepped.find((o) => o.kind === 'ServiceMonitor')).toMatchObject({
        spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'baseten-bridge' } } },
      });
    },
  );
});

describe('bridge configs shipped in deploy/', () => {
  it.each(['deploy/bridge.yml', 'deploy/kubernetes/bridge.yml', 'deploy/kubernetes/sharded/bridge.yml'])(
    '%s loads as a valid bridge config',
    async (file) => {
      const { loadConfig } = await import('../../src/config/index.js');
      expect(() => loadConfig(resolve(ROOT, file))).not.toThrow();
    },
  );
});
