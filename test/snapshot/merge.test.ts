import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mergeSnapshots, type Snapshot } from '../../src/snapshot/index.js';
import { checkMetrics, promtool, promtoolAccepts } from '../exposition/promtool.js';
import { buildSnapshot } from '../helpers/snapshot.js';

const prod = Buffer.from(
  [
    '# HELP baseten_inference_requests_total Requests.',
    '# TYPE baseten_inference_requests_total counter',
    'baseten_inference_requests_total{model_id="m1",workspace="prod"} 10',
    'baseten_inference_requests_total{model_id="m2",workspace="prod"} 3',
    '# HELP baseten_end_to_end_response_time_seconds Latency.',
    '# TYPE baseten_end_to_end_response_time_seconds histogram',
    'baseten_end_to_end_response_time_seconds_bucket{le="0.5",workspace="prod"} 1',
    'baseten_end_to_end_response_time_seconds_bucket{le="+Inf",workspace="prod"} 2',
    'baseten_end_to_end_response_time_seconds_sum{workspace="prod"} 0.7',
    'baseten_end_to_end_response_time_seconds_count{workspace="prod"} 2',
    '',
  ].join('\n'),
);
const staging = Buffer.from(
  [
    '# HELP baseten_end_to_end_response_time_seconds Latency.',
    '# TYPE baseten_end_to_end_response_time_seconds histogram',
    'baseten_end_to_end_response_time_seconds_bucket{le="0.5",workspace="staging"} 4',
    'baseten_end_to_end_response_time_seconds_bucket{le="+Inf",workspace="staging"} 4',
    'baseten_end_to_end_response_time_seconds_sum{workspace="staging"} 1',
    'baseten_end_to_end_response_time_seconds_count{workspace="staging"} 4',
    '# HELP baseten_replicas_active Replicas.',
    '# TYPE baseten_replicas_active gauge',
    'baseten_replicas_active{workspace="staging"} 2',
    '# HELP baseten_inference_requests_total Requests.',
    '# TYPE baseten_inference_requests_total gauge',
    'baseten_inference_requests_total{model_id="m1",workspace="staging"} 5',
    '',
  ].join('\n'),
);

describe('a snapshot', () => {
  it('keeps the gzip bytes one stream that reads back as the text', () => {
    const snapshot = buildSnapshot(prod);
    expect(gunzipSync(snapshot.gzip).equals(snapshot.text)).toBe(true);
    expect(snapshot.blocks.map((b) => [b.name, b.type])).toEqual([
      ['baseten_inference_requests_total', 'counter'],
      ['baseten_end_to_end_response_time_seconds', 'histogram'],
    ]);
  });
});

describe('merging the snapshots of several targets', () => {
  const a = buildSnapshot(prod);
  const b = buildSnapshot(staging);
  const merged = mergeSnapshots([a, b]);
  const text = Buffer.concat(merged.text).toString('utf8');

  it('writes each family once, with the samples of every target that has it', () => {
    expect(text.match(/# TYPE baseten_end_to_end_response_time_seconds /g)).toHaveLength(1);
    expect(text).toContain(
      'baseten_end_to_end_response_time_seconds_count{workspace="prod"} ' +
        '2\nbaseten_end_to_end_response_time_seconds_bucket{le="0.5",' +
        'workspace="staging"} 4',
    );
    expect(text).toContain('baseten_replicas_active{workspace="staging"} 2');
  });

  it('leaves out a family that a later target gives another type, and says so', () => {
    expect(merged.typeConflicts).toEqual([{ family: 'baseten_inference_requests_total', snapshot: 1 }]);
    expect(text).not.toContain('workspace="staging"} 5');
  });

  it('gzip reads back as exactly the merged text', () => {
    expect(gunzipSync(Buffer.concat(merged.gzip)).toString('utf8')).toBe(text);
  });

  it("copies nothing: every part is a slice of a snapshot's own bytes", () => {
    expect(mergeSnapshots([a]).text[0]).toBe(a.text);
    // Each snapshot's bytes are a memory of their own (not Node's shared pool of small Buffers), so a part
    // that is a view of them has the same ArrayBuffer and lies inside the snapshot's range; a copy would not.
    expect(new Set([a.text.buffer, b.text.buffer, a.gzip.buffer, b.gzip.buffer]).size).toBe(4);
    const within = (part: Buffer, of: Buffer) =>
      part.buffer === of.buffer &&
      part.byteOffset >= of.byteOffset &&
      part.byteOffset + part.length <= of.byteOffset + of.length;
    const viewOfOne = (part: Buffer, of: (s: Snapshot) => Buffer) => [a, b].some((s) => within(part, of(s)));
    expect(merged.text.filter((part) => !viewOfOne(part, (s) => s.text))).toEqual([]);
    expect(merged.gzip.filter((part) => !viewOfOne(part, (s) => s.gzip))).toEqual([]);
    expect(merged.text.length).toBe(7); // three headers, four bodies
  });

  it.skipIf(!promtool)('is an exposition promtool reads cleanly', () => {
    const result = checkMetrics(promtool!, text);
    expect(promtoolAccepts(result), result.output).toBe(true);
  });
});
