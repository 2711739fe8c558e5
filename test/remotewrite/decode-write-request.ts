/**
 * A test-side reader of remote-write 1.0 requests (snappy block + prompb.WriteRequest), written from
 * prompb/types.proto independently of the encoder, so the encoder is not checked against itself.
 */
import { uncompress } from 'snappyjs';

export interface DecodedSeries {
  labels: Array<[string, string]>;
  samples: Array<{ value: number; timestampMs: number }>;
}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly end = buf.length,
  ) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  }

  /** Calls `field(number, wireType, reader)` for each field; length-delimited fields get a sub-reader. */
  fields(field: (n: number, r: Reader) => void): void {
    while (this.pos < this.end) {
      const key = this.varint();
      const n = Math.floor(key / 8);
      const wire = key & 7;
      if (wire === 2) {
        const length = this.varint();
        const sub = new Reader(this.buf, this.pos + length);
        sub.pos = this.pos;
        field(n, sub);
        this.pos += length;
      } else if (wire === 1) {
        field(n, this);
      } else if (wire === 0) {
        field(n, this);
      } else throw new Error(`unexpected wire type ${wire}`);
    }
  }

  string(): string {
    return this.buf.toString('utf8', this.pos, this.end);
  }
}

export function decodeWriteRequest(body: Buffer): DecodedSeries[] {
  const raw = Buffer.from(uncompress(new Uint8Array(body)));
  const out: DecodedSeries[] = [];
  new Reader(raw).fields((n, ts) => {
    if (n !== 1) throw new Error(`unexpected WriteRequest field ${n}`);
    const series: DecodedSeries = { labels: [], samples: [] };
    ts.fields((m, part) => {
      if (m === 1) {
        let name = '';
        let value = '';
        part.fields((k, s) => (k === 1 ? (name = s.string()) : (value = s.string())));
        series.labels.push([name, value]);
      } else if (m === 2) {
        const sample = { value: 0, timestampMs: 0 };
        part.fields((k, s) => {
          if (k === 1) {
            sample.value = s.buf.readDoubleLE(s.pos);
            s.pos += 8;
          } else sample.timestampMs = s.varint();
        });
        series.samples.push(sample);
      } else throw new Error(`unexpected TimeSeries field ${m}`);
    });
    out.push(series);
  });
  return out;
}
