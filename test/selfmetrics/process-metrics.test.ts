/**
 * The process's own metrics on the bridge's registry: prom-client's defaults under their ecosystem names, the
 * memory limit only when one is known, none of them a name Baseten relays, and all of it readable by promtool.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FAMILY_LIST } from '../../src/demo/index.js';
import { BridgeMetrics, collectProcessMetrics } from '../../src/selfmetrics/index.js';
import { checkMetrics, promtool, promtoolAccepts } from '../exposition/promtool.js';

/** The bridge's registry as run-server.ts makes it: its own metrics, then the process's. */
function bridgeRegistry(limitBytes?: number): Registry {
  const registry = new Registry();
  new BridgeMetrics(registry);
  collectProcessMetrics(
    registry,
    limitBytes === undefined ? undefined : { bytes: limitBytes, source: '--memory.limit' },
  );
  return registry;
}

const withLimit = bridgeRegistry(512 * 2 ** 20);
const familyNames = (registry: Registry) => registry.getMetricsAsArray().map((m) => m.name);

describe('collectProcessMetrics', () => {
  it.each([
    ['process_resident_memory_bytes', /^process_resident_memory_bytes [1-9]\d*$/m],
    ['process_cpu_seconds_total', /^process_cpu_seconds_total \d/m],
    ['process_open_fds', /^process_open_fds [1-9]/m],
    ['process_start_time_seconds', /^process_start_time_seconds 1\d{9}$/m],
    ['nodejs_heap_size_used_bytes', /^nodejs_heap_size_used_bytes [1-9]/m],
    ['nodejs_external_memory_bytes', /^nodejs_external_memory_bytes \d/m],
    ['nodejs_eventloop_lag_seconds', /^nodejs_eventloop_lag_seconds \d/m],
    ['nodejs_eventloop_lag_p99_seconds', /^nodejs_eventloop_lag_p99_seconds \d/m],
    ['nodejs_gc_duration_seconds', /^# TYPE nodejs_gc_duration_seconds histogram$/m],
    ['baseten_bridge_memory_limit_bytes', /^baseten_bridge_memory_limit_bytes 536870912$/m],
  ])('serves %s, unprefixed, beside baseten_bridge_*', async (_name, line) => {
    expect(await withLimit.metrics()).toMatch(line);
  });

  it('exports no memory limit when none is known: the alert on it stays silent rather than guess', async () => {
    const text = await bridgeRegistry().metrics();
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(text).not.toContain('baseten_bridge_memory_limit_bytes');
  });

  it('uses no name Baseten relays: not a family of BASETEN.md, nor its prefixes', () => {
    const own = familyNames(withLimit);
    const relayed = new Set(FAMILY_LIST.map((f) => f.name));
    expect(own.filter((name) => relayed.has(name))).toEqual([]);
    expect(
      own.filter(
        (name) => /^(vllm:|sglang:)/.test(name) || (name.startsWith('baseten_') && !name.startsWith('baseten_bridge_')),
      ),
    ).toEqual([]);
    // Only the bridge's own prefix and prom-client's: nothing else crept onto the registry.
    expect(own.filter((name) => !/^(baseten_bridge_|process_|nodejs_)/.test(name))).toEqual([]);
  });

  it.skipIf(!promtool)('is text promtool reads', async () => {
    const result = checkMetrics(promtool!, await withLimit.metrics());
    expect(promtoolAccepts(result), result.output).toBe(true);
  });
});
