import { describe, expect, it } from 'vitest';
import { BatchQueue } from '../../src/remotewrite/batch-queue.js';

const batch = (samples: number, tag: string) => ({ body: Buffer.from(tag), samples });
const tags = (q: BatchQueue) => {
  const out: string[] = [];
  for (let b = q.shift(); b; b = q.shift()) out.push(b.body.toString());
  return out;
};

describe('BatchQueue', () => {
  it('is first in, first out', () => {
    const q = new BatchQueue();
    q.push(batch(2, 'a'));
    q.push(batch(3, 'b'));
    expect(q.samples).toBe(5);
    expect(tags(q)).toEqual(['a', 'b']);
    expect(q.samples).toBe(0);
  });

  it('drops the oldest batches when trimmed, and says how many samples went', () => {
    const q = new BatchQueue();
    for (const t of ['a', 'b', 'c', 'd']) q.push(batch(5, t));
    expect(q.trimTo(12)).toBe(10);
    expect(tags(q)).toEqual(['c', 'd']);
  });

  it('trims to nothing when the limit is negative', () => {
    const q = new BatchQueue();
    q.push(batch(5, 'a'));
    expect(q.trimTo(-3)).toBe(5);
    expect(q.batchCount).toBe(0);
  });

  it('keeps order across its internal compaction', () => {
    const q = new BatchQueue();
    for (let i = 0; i < 300; i++) q.push(batch(1, String(i)));
    for (let i = 0; i < 200; i++) q.shift();
    q.push(batch(1, 'last'));
    const rest = tags(q);
    expect(rest[0]).toBe('200');
    expect(rest.at(-1)).toBe('last');
    expect(rest).toHaveLength(101);
  });

  it('takes over another queue in front of its own batches', () => {
    const older = new BatchQueue();
    older.push(batch(1, 'old1'));
    older.push(batch(1, 'old2'));
    const q = new BatchQueue();
    q.push(batch(1, 'new'));
    q.prependFrom(older);
    expect(q.samples).toBe(3);
    expect(tags(q)).toEqual(['old1', 'old2', 'new']);
    expect(older.samples).toBe(0);
  });
});
