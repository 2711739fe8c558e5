/**
 * A snapshot made the way the bridge makes one: a SnapshotBuilder (no relabel rules, no limits) over a body.
 * Tests of what reads snapshots (the server, the merge) build them through the real path, not a second one.
 */
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { SnapshotBuilder, type BuildOptions, type Snapshot } from '../../src/snapshot/index.js';

/** No relabel rules' options: no limits, no invalid line allowed, no sample timestamps, engine identity on. */
export const TEST_BUILD_OPTIONS: BuildOptions = {
  sampleLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
  maxInvalidLineRatio: 0,
  helpSuffix: '(cached)',
  sampleTimestamps: false,
  engineIdentity: true,
};

export function buildSnapshot(body: string | Buffer, fetchedAtMs = 0): Snapshot {
  const result = new SnapshotBuilder(compileRelabelConfigs([]), TEST_BUILD_OPTIONS).build(
    Buffer.isBuffer(body) ? body : Buffer.from(body),
    undefined,
    fetchedAtMs,
  );
  if (!result.ok) throw new Error(`the test body does not build: ${result.message}`);
  return result.snapshot;
}
