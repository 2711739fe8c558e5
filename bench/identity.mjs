// Engine identity's cost: what attaching each vLLM/SGLang series' Baseten identity adds to a changed cycle of
// the snapshot builder (issue 23: under 5 %), measured in the benchmark process (process.cpuUsage) on the
// moving Baseten-shaped payload with its engine families, warm (every body new, every series a cache hit): the
// bodies built with `engineIdentity` on; the same with it off; and, to tell the step from what it serves (the
// attached labels make every engine line longer, and the output is written and compressed whole), bodies whose
// engine lines already carry the identity, built with it off: the same output without the step. Then a body
// in which one deployment's model was renamed (its engine series decided again).
// Run: npm run bench -- identity    (DEPLOYMENTS=590 by default: ~250k series)
import { compileRelabelConfigs } from '../dist/relabel/index.js';
import { SnapshotBuilder } from '../dist/snapshot/index.js';
import { BENCH_BUILD_OPTIONS, BENCH_TIME_MS, DEPLOYMENTS, TEN_RULES } from './payload.mjs';
import { MovingPayload } from './moving-payload.mjs';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const RULES = TEN_RULES.slice(0, 3);
/** Alternating runs of each: the machines are noisy, and a median of many cycles steadies the share. */
const ROUNDS = 5;
const options = (engineIdentity) => ({ ...BENCH_BUILD_OPTIONS, engineIdentity });

function cpuSeconds(fn) {
  const start = process.cpuUsage();
  const out = fn();
  const used = process.cpuUsage(start);
  return [(used.user + used.system) / 1e6, out];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `bodies` built in turn by a fresh builder (the first one cold, not counted): each later build's CPU. */
function changedCycles(engineIdentity, bodies) {
  const builder = new SnapshotBuilder(compileRelabelConfigs(RULES), options(engineIdentity));
  const times = [];
  const results = [];
  bodies.forEach((body, i) => {
    const [cpu, result] = cpuSeconds(() => builder.build(body, CONTENT_TYPE, BENCH_TIME_MS + i * 60_000));
    if (!result.ok) throw new Error(`bench body refused: ${result.message}`);
    results.push(result);
    if (i > 0) times.push(cpu);
  });
  return { times, results };
}

/**
 * The body as if Baseten relayed the engine series with their identity attached: what the bridge serves with
 * engine identity on, which a builder with it off then serves as it came.
 */
function withIdentityInBody(body) {
  const text = body.toString('utf8');
  const identities = new Map();
  for (const m of text.matchAll(/^baseten_[^{\n]*\{([^}\n]*)\}/gm)) {
    const labels = Object.fromEntries([...m[1].matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.deployment_id && labels.model_id && labels.model_name && !identities.has(labels.deployment_id))
      identities.set(labels.deployment_id, labels);
  }
  return Buffer.from(
    text.replace(/^((?:vllm|sglang):[^{\n]*)\{([^}\n]*)\}/gm, (line, name, inner) => {
      const id = identities.get(/deployment_id="([^"]*)"/.exec(inner)?.[1]);
      if (!id) return line;
      const own = inner.replace(/(^|,)model_name="/, '$1exported_model_name="');
      const env = id.environment === undefined ? '' : `,environment="${id.environment}"`;
      return `${name}{${own},model_id="${id.model_id}",model_name="${id.model_name}"${env}}`;
    }),
  );
}

/**
 * The body with the first deployment's Baseten model renamed (its platform series say so; its engine series follow).
 */
function renamedFirstModel(body) {
  const text = body.toString('utf8');
  const match = /^baseten_[^{]*\{[^}]*model_name="((?:[^"\\]|\\.)*)"/m.exec(text);
  if (!match) throw new Error('no platform series with model_name in the bench body');
  return Buffer.from(text.replaceAll(`model_name="${match[1]}"`, `model_name="${match[1]} (renamed)"`));
}

export async function identityBench({
  deployments = Number(process.env.DEPLOYMENTS ?? DEPLOYMENTS['250k']),
  cycles = 7,
} = {}) {
  const moving = new MovingPayload(deployments, 0, { countNew: false });
  // A refresh per body, as Baseten's every 30 s: every body new, the same series.
  const bodies = Array.from({ length: cycles + 1 }, () => Buffer.from(moving.next().text));
  const engineSeries = bodies[0]
    .toString('utf8')
    .split('\n')
    .filter((l) => /^(vllm|sglang):/.test(l)).length;
  // Alternating runs, so that the machine's drift falls on both alike.
  const attached = bodies.map(withIdentityInBody);
  const on = [];
  const off = [];
  const sameOutput = [];
  for (let round = 0; round < ROUNDS; round++) {
    off.push(...changedCycles(false, bodies).times);
    on.push(...changedCycles(true, bodies).times);
    sameOutput.push(...changedCycles(false, attached).times);
  }
  // The check that the comparison is fair: the same bytes served either way (but for the HELP suffix, equal).
  const served = (engineIdentity, body) =>
    new SnapshotBuilder(compileRelabelConfigs(RULES), options(engineIdentity)).build(body, CONTENT_TYPE, BENCH_TIME_MS);
  const [a, b] = [served(true, bodies[0]), served(false, attached[0])];
  if (!a.ok || !b.ok || !a.snapshot.text.equals(b.snapshot.text))
    throw new Error(
      'bench/identity.mjs: the bodies with the identity in them do not serve ' +
        'what the bridge serves with engine identity on',
    );
  const renamed = [...bodies.slice(0, -1), renamedFirstModel(bodies.at(-1))];
  const { times, results } = changedCycles(true, renamed);
  const last = results.at(-1);
  return {
    series: last.snapshot.seriesScraped,
    engineSeries,
    bytes: bodies[0].length,
    changedOff: median(off),
    changedOn: median(on),
    changedSameOutput: median(sameOutput),
    renamedOn: times.at(-1),
    renamedDecidedAgain: last.identityChanges,
    unidentified: last.unidentified.series,
  };
}

export function identityTable(r) {
  const s = (x) => `${x.toFixed(3)} s`;
  const step = (r.changedOn - r.changedSameOutput) / r.changedOn;
  return [
    `${r.series.toLocaleString('en')} series (${(r.bytes / 2 ** 20).toFixed(1)} ` +
      `MiB), of them ${r.engineSeries.toLocaleString('en')} engine series ` +
      `(vLLM, SGLang); 3 rules; sample timestamps on.`,
    '',
    '| changed cycle (every body new, every series a cache hit) | CPU, median |',
    '|---|---|',
    `| engine identity off: engine series served as Baseten relays them | ${s(r.changedOff)} |`,
    `| engine identity on | ${s(r.changedOn)} |`,
    `| off, on bodies whose engine series already carry the identity (the ` +
      `same output, no step) | ${s(r.changedSameOutput)} |`,
    `| the identity step's share of the cycle (on, against the same output ` +
      `without it) | ${(step * 100).toFixed(1)} % (target: under 5 %) |`,
    `| what serving the longer engine lines adds (on, against off) | ` +
      `${(((r.changedOn - r.changedOff) / r.changedOn) * 100).toFixed(1)} % |`,
    `| on, one deployment's model renamed (${r.renamedDecidedAgain.toLocaleString('en')} ` +
      `engine series decided again) | ${s(r.renamedOn)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(identityTable(await identityBench()));
}
