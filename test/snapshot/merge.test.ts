import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { familyBlocks, mergeSnapshots, snapshotFromText } from '../../src/snapshot/index.js';
import { checkMetrics, promtool, promtoolAccepts } from '../exposition/promtool.js';

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

describe('family blocks', () => {
  it('finds each family with its header, body and type', () => {
    const blocks = familyBlocks(prod);
    expect(blocks.map((b) => [b.name, b.type])).toEqual([
      ['baseten_inference_requests_total', 'counter'],
      ['baseten_end_to_end_response_time_seconds', 'histogram'],
    ]);
    const [first] = blocks;
    expect(prod.toString('utf8', first!.bodyStart, first!.end)).toBe('baseten_inference_requests_total{model_id="m1",workspace="prod"} 10\nbaseten_inference_requests_total{model_id="m2",workspace="prod"} 3\n');
  });

  it('keeps the gzip bytes one stream that reads back as the text', () => {
    const snapshot = snapshotFromText(prod, 0, 6, 6);
    expect(gunzipSync(snapshot.gzip).equals(prod)).toBe(true);
  });
});

describe('merging the snapshots of several targets', () => {
  const a = snapshotFromText(prod, 0, 6, 6);
  const b = snapshotFromText(staging, 0, 7, 7);
  const merged = mergeSnapshots([a, b]);
  const text = Buffer.concat(merged.text).toString('utf8');

  it('writes each family once, with the samples of every target that has it', () => {
    expect(text.match(/# TYPE baseten_end_to_end_response_time_seconds /g)).toHaveLength(1);
    expect(text).toContain('baseten_end_to_end_response_time_seconds_count{workspace="prod"} 2\nbaseten_end_to_end_response_time_seconds_bucket{le="0.5",workspace="staging"} 4');
    expect(text).toContain('baseten_replicas_active{workspace="staging"} 2');
  });

  it('leaves out a family that a later target gives another type, and says so', () => {
    expect(merged.typeConflicts).toEqual([{ family: 'baseten_inference_requests_total', snapshot: 1 }]);
    expect(text).not.toContain('workspace="staging"} 5');
  });

  it('gzip reads back as exactly the merged text', () => {
    expect(gunzipSync(Buffer.concat(merged.gzip)).toString('utf8')).toBe(text);
  });

  it('copies nothing: every part is a slice of a snapshot\'s own bytes', () => {
    expect(mergeSnapshots([a]).text[0]).toBe(a.text);
    for (const part of merged.text) expect([a.text.buffer, b.text.buffer]).toContain(part.buffer);
  });

  it.skipIf(!promtool)('is an exposition promtool reads cleanly', () => {
    const result = checkMetrics(promtool!, text);
    expect(promtoolAccepts(result), result.output).toBe(true);
  });
});
