/**
 * Sample timestamps and departed series, read off the served text: each line without a timestamp of its own
 * carries the fetch time; a series the last snapshot served and this one does not is served once more as it
 * was, without a timestamp (so Prometheus tracks it and marks it stale when it then goes), in its family's
 * block, or in its old block when the whole family left; then it is gone.
 */
import { describe, expect, it } from 'vitest';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { SnapshotBuilder, type BuildOptions } from '../../src/snapshot/index.js';
import { TEST_BUILD_OPTIONS } from '../helpers/snapshot.js';

const OPTIONS: BuildOptions = { ...TEST_BUILD_OPTIONS, sampleTimestamps: true };
const OM = 'application/openmetrics-text; version=1.0.0';

function served(builder: SnapshotBuilder, body: string, at: number, contentType?: string): string[] {
  const result = builder.build(Buffer.from(body), contentType, at);
  if (!result.ok) throw new Error(result.message);
  return result.snapshot.text
    .toString()
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('# HELP'));
}

describe('sample timestamps', () => {
  it('stamps every line without a timestamp of its own with the fetch time, keeps the ones it has', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    expect(served(builder, 'a 1\nb{x="y"} NaN\nc 3 1600000000000\n', 1_700_000_000_123)).toEqual([
      '# TYPE a untyped',
      'a 1 1700000000123',
      '# TYPE b untyped',
      'b{x="y"} NaN 1700000000123',
      '# TYPE c untyped',
      'c 3 1600000000000',
    ]);
  });

  it('OpenMetrics: seconds become milliseconds, the rest the fetch time', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    expect(served(builder, '# TYPE a gauge\na 1 1600000000.5\na{x="1"} 2\n# EOF\n', 1_700_000_000_000, OM)).toEqual([
      '# TYPE a gauge',
      'a 1 1600000000500',
      'a{x="1"} 2 1700000000000',
    ]);
  });

  it(
    'a body served again within Baseten refresh (30 s) keeps its time, the ' +
      'same observation; later it is stamped anew, also after a failed body',
    () => {
      const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
      const body = 'a 1\n';
      const first = builder.build(Buffer.from(body), undefined, 1_000);
      expect(first.ok && first.snapshot.text.toString()).toContain('a 1 1000\n');
      const soon = builder.build(Buffer.from(body), undefined, 20_000);
      expect(soon).toMatchObject({ ok: true, unchanged: true });
      expect(soon.ok && first.ok && soon.snapshot.text).toBe(first.ok && first.snapshot.text);
      expect(soon.ok && [soon.snapshot.stampedAtMs, soon.snapshot.fetchedAtMs]).toEqual([1_000, 20_000]);
      const later = builder.repeat(31_000)!;
      expect(later).toMatchObject({ ok: true, unchanged: true, newSeries: 0 });
      expect(later.ok && later.snapshot.text.toString()).toContain('a 1 31000\n');
      expect(builder.build(Buffer.from('<html></html>\n'), undefined, 40_000).ok).toBe(false);
      const again = builder.repeat(70_000)!;
      expect(again.ok && again.snapshot.text.toString()).toContain('a 1 70000\n');
    },
  );

  it('without them, no line gets the fetch time and nothing departed is carried', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), { ...OPTIONS, sampleTimestamps: false });
    served(builder, 'a 1\nb 2\n', 1000);
    expect(served(builder, 'a 2\n', 2000)).toEqual(['# TYPE a untyped', 'a 2']);
  });
});

describe('departed series', () => {
  it('are served once more without a timestamp, in their block, then gone', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    served(builder, '# TYPE g gauge\ng{r="1"} 5\ng{r="2"} 6\n', 1000);
    expect(served(builder, '# TYPE g gauge\ng{r="1"} 7\n', 2000)).toEqual([
      '# TYPE g gauge',
      'g{r="1"} 7 2000',
      'g{r="2"} 6',
    ]);
    expect(served(builder, '# TYPE g gauge\ng{r="1"} 8\n', 3000)).toEqual(['# TYPE g gauge', 'g{r="1"} 8 3000']);
  });

  it('a whole family that left: its old block, header and all, after the others', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    served(
      builder,
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n# TYPE g gauge\ng 1\n',
      1000,
    );
    expect(served(builder, '# TYPE g gauge\ng 2\n', 2000)).toEqual([
      '# TYPE g gauge',
      'g 2 2000',
      '# TYPE h histogram',
      'h_bucket{le="1"} 1',
      'h_bucket{le="+Inf"} 2',
      'h_sum 3',
      'h_count 2',
    ]);
    expect(served(builder, '# TYPE g gauge\ng 3\n', 3000)).toEqual(['# TYPE g gauge', 'g 3 3000']);
  });

  it('not a series still served through another input, nor one that had its own timestamp', () => {
    // Two pods relabeled to one series: one pod leaving leaves the series served.
    const builder = new SnapshotBuilder(compileRelabelConfigs([{ action: 'labeldrop', regex: 'pod' }]), OPTIONS);
    served(builder, 'g{pod="a"} 1\ng{pod="b"} 2\nt 1 1600000000000\n', 1000);
    expect(served(builder, 'g{pod="b"} 2\n', 2000)).toEqual(['# TYPE g untyped', 'g 2 2000']);
  });

  it(
    'relative to the last good body after a failed one; carried for one ' +
      'cycle only, so a body served again is stamped anew without them',
    () => {
      const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
      served(builder, 'a 1\nb 1\n', 1000);
      expect(builder.build(Buffer.from('<html></html>\n'), undefined, 1500).ok).toBe(false);
      expect(served(builder, 'a 2\n', 2000)).toEqual(['# TYPE a untyped', 'a 2 2000', '# TYPE b untyped', 'b 1']);
      expect(served(builder, 'a 2\n', 3000)).toEqual(['# TYPE a untyped', 'a 2 3000']);
      expect(served(builder, 'a 2\n', 4000)).toEqual(['# TYPE a untyped', 'a 2 3000']);
    },
  );

  it(
    'a series the bridge now leaves out (a histogram that lost its +Inf ' + 'bucket) is carried too: it left /metrics',
    () => {
      const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
      served(builder, '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n', 1000);
      expect(served(builder, '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 3\nh_count 2\n', 2000)).toEqual([
        '# TYPE h histogram',
        'h_bucket{le="1"} 1',
        'h_bucket{le="+Inf"} 2',
        'h_sum 3',
        'h_count 2',
      ]);
    },
  );
});
