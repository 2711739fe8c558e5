/**
 * The opt-in examples of deploy/kubernetes: network-policy.yaml and pod-disruption-budget.yaml. Built by
 * `kubectl kustomize` as the kustomization's comment says to opt in (a copy with their two lines uncommented),
 * validated against their Kubernetes schemas with kubernetes-models, then read for what they promise: the
 * bridge's pods of both layouts selected, ingress to the bridge's port from Prometheus only, egress to DNS and
 * HTTPS only, and a disruption budget that never blocks a drain of the single-replica Deployment.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { requireBinary } from '../helpers/require-binary.js';

const ROOT = resolve(__dirname, '../..');
const kubectl = requireBinary('kubectl', 'kubernetes-client');
const EXAMPLES = ['network-policy.yaml', 'pod-disruption-budget.yaml'];

type Labels = Record<string, string>;
interface Workload {
  kind: string;
  spec: {
    replicas: number;
    template: {
      metadata: { labels: Labels };
      spec: { containers: Array<{ ports: Array<{ name: string; containerPort: number }> }> };
    };
  };
}
interface Peer {
  namespaceSelector?: { matchLabels: Labels };
  podSelector?: { matchLabels: Labels };
}
interface Port {
  protocol: string;
  port: number | string;
}
interface Policy {
  spec: {
    podSelector: { matchLabels: Labels };
    policyTypes: string[];
    ingress: Array<{ from: Peer[]; ports: Port[] }>;
    egress: Array<{ to?: Peer[]; ports: Port[] }>;
  };
}
interface Budget {
  spec: {
    maxUnavailable?: number;
    minAvailable?: number;
    unhealthyPodEvictionPolicy?: string;
    selector: { matchLabels: Labels };
  };
}

function build(dir: string): Array<{ kind: string; [k: string]: unknown }> {
  const r = spawnSync(kubectl!, ['kustomize', dir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string });
}

const selects = (selector: Labels, workload: Workload) =>
  expect(workload.spec.template.metadata.labels).toMatchObject(selector);

describe.skipIf(!kubectl)('deploy/kubernetes opt-in examples (kubectl kustomize)', () => {
  let objects: Array<{ kind: string; [k: string]: unknown }>;
  const find = <T>(kind: string) => objects.find((o) => o.kind === kind) as unknown as T;
  const sharded = parse(readFileSync(join(ROOT, 'deploy/kubernetes/sharded/statefulset.yaml'), 'utf8')) as Workload;

  beforeAll(() => {
    const copy = join(mkdtempSync(join(tmpdir(), 'kustomize-opt-in-')), 'kubernetes');
    cpSync(join(ROOT, 'deploy/kubernetes'), copy, { recursive: true });
    const kustomization = readFileSync(join(copy, 'kustomization.yaml'), 'utf8');
    const optedIn = EXAMPLES.reduce((text, file) => text.replace(`  # - ${file}\n`, `  - ${file}\n`), kustomization);
    expect(optedIn.match(/^ {2}- (network-policy|pod-disruption-budget)\.yaml$/gm)).toHaveLength(EXAMPLES.length);
    writeFileSync(join(copy, 'kustomization.yaml'), optedIn);
    objects = build(copy);
  });

  it('are left out of the default build and added by uncommenting their lines', () => {
    const byDefault = build(join(ROOT, 'deploy/kubernetes')).map((o) => o.kind);
    expect(byDefault).not.toContain('NetworkPolicy');
    expect(byDefault).not.toContain('PodDisruptionBudget');
    expect(objects.map((o) => o.kind).sort()).toEqual([...byDefault, 'NetworkPolicy', 'PodDisruptionBudget'].sort());
  });

  it('validate against their schemas, which are live', () => {
    expect(() => new NetworkPolicy(find('NetworkPolicy')).validate()).not.toThrow();
    expect(() => new PodDisruptionBudget(find('PodDisruptionBudget')).validate()).not.toThrow();
    const broken = structuredClone(find<Policy>('NetworkPolicy')) as unknown as { spec: Record<string, unknown> };
    delete broken.spec.podSelector;
    expect(() => new NetworkPolicy(broken as never).validate()).toThrow(/podSelector/);
  });

  it(
    "NetworkPolicy: the bridge's pods; in, only its port from Prometheus " + 'in monitoring; out, only DNS and HTTPS',
    () => {
      const policy = find<Policy>('NetworkPolicy');
      const deployment = find<Workload>('Deployment');
      selects(policy.spec.podSelector.matchLabels, deployment);
      selects(policy.spec.podSelector.matchLabels, sharded);
      expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
      const port = deployment.spec.template.spec.containers[0]!.ports[0]!;
      expect(port).toEqual({ name: 'http', containerPort: 19340 });
      expect(policy.spec.ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: port.name }],
        },
      ]);
      const dns = policy.spec.egress.find((rule) => rule.to)!;
      expect(dns.to).toEqual([
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        },
      ]);
      expect(dns.ports).toEqual([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);
      expect(policy.spec.egress.filter((rule) => rule !== dns)).toEqual([{ ports: [{ protocol: 'TCP', port: 443 }] }]);
    },
  );

  it(
    'PodDisruptionBudget: a drain may always take the one Deployment pod, ' + 'and one shard at a time, ready or not',
    () => {
      const budget = find<Budget>('PodDisruptionBudget');
      selects(budget.spec.selector.matchLabels, find<Workload>('Deployment'));
      selects(budget.spec.selector.matchLabels, sharded);
      expect(budget.spec.minAvailable).toBeUndefined();
      // A pod is unready while Baseten's data is stale: an outage must not stop drains.
      expect(budget.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
      // The disruption controller's arithmetic: pods that must stay healthy = replicas - maxUnavailable.
      const mustStay = (workload: Workload) => workload.spec.replicas - budget.spec.maxUnavailable!;
      expect(mustStay(find<Workload>('Deployment'))).toBe(0);
      expect(mustStay(sharded)).toBe(sharded.spec.replicas - 1);
    },
  );
});
