/**
 * The series of the pushes, after Prometheus's scrape cache (scrape/scrape.go `scrapeCache`), as the build's
 * series cache does it (snapshot/series-cache.ts): each distinct served series (`name{a="b",…}` as the
 * renderer wrote it) is a row holding, per remote, what the series becomes on the wire (write_relabel_configs
 * applied, the TimeSeries `labels` encoded), made when the remote first meets it. A push of series seen
 * before costs, per sample, a byte comparison against the row that followed the previous one last time (the
 * renderer writes series in the same order every cycle), a value read and a byte copy per remote; a new
 * series costs one hash, one parse and one encoding. Rows a push did not see are forgotten at its end.
 *
 * Few objects per series: a row does not copy its key but points at the last push it was seen in (every
 * live row was seen in the current push), and every remote's encoded labels live in one buffer, compacted
 * when most of it belongs to series that are gone.
 *
 * The push is read through the one reader of the exposition, LineScanner; a new series' name and labels
 * through the line reader the build uses.
 */
import {
  LINE_SAMPLE,
  LineScanner,
  parseGoFloat,
  parseIntegerTimestamp,
  SampleLineReader,
  type LabelPairs,
} from '../exposition/index.js';
import { hashBytes, sameBytes } from '../snapshot/index.js';
import { ByteWriter } from './protobuf.js';

/** What one remote sends for a series: its encoded labels at labels[start, end), or why nothing (start -1). */
export interface SeriesRecord {
  labels: Buffer;
  start: number;
  end: number;
  readonly reason: 'relabel' | 'invalid_name' | 'invalid';
}

/** A record of a series the remote does not send. */
export function notSent(reason: SeriesRecord['reason']): SeriesRecord {
  return { labels: NO_BYTES, start: -1, end: -1, reason };
}

const NO_BYTES = Buffer.alloc(0);

/**
 * Encoded labels live in chunks of this size, filled one after another: growing never copies a large buffer
 * (tens of MB at 250k series, in one turn of the event loop).
 */
const LABEL_CHUNK_BYTES = 1024 * 1024;

/** Rows swept between looks at the clock. */
const ROWS_PER_CLOCK_CHECK = 512;
/** Below this the labels buffer is never compacted. */
const COMPACT_FROM_BYTES = 4 * 1024 * 1024;

export class SeriesRow {
  next: SeriesRow | undefined;
  /** The row that followed this one in the last push. */
  follower: SeriesRow | undefined;
  seen = -1;
  /** Per remote (by its slot), made when needed; valid for `generation` of the remotes. */
  records: Array<SeriesRecord | undefined> = [];
  generation = -1;

  constructor(
    /** The series bytes: key[keyOff, keyOff + keyLen), in the last push that saw it. */
    public key: Buffer,
    public keyOff: number,
    readonly keyLen: number,
    readonly hash: number,
  ) {}

  /** The series' name and labels; undefined when they cannot be read. */
  parsed(reader: SampleLineReader): { name: string; labels: LabelPairs } | undefined {
    const text = this.key.toString('utf8', this.keyOff, this.keyOff + this.keyLen);
    return reader.readSeries(text, 0, text.length, false);
  }
}

export class PushSeries {
  private readonly rows = new Map<number, SeriesRow>();
  private first: SeriesRow | undefined;
  private push = 0;
  /** Bumped when the set of remotes changes: every row's records are then made anew. */
  private generation = 0;
  readonly lineReader = new SampleLineReader();
  /** Where a series' labels are encoded before they are placed in a chunk. */
  private readonly scratch = new ByteWriter(64 * 1024);
  /** The chunk being filled and how much of it is used. */
  private chunk = Buffer.allocUnsafeSlow(LABEL_CHUNK_BYTES);
  private used = 0;
  /** Bytes placed in chunks, and how many of them belong to records no longer used. */
  private placedBytes = 0;
  private deadBytes = 0;
  /** Where an unfinished sweep stopped. */
  private sweeping: IterableIterator<[number, SeriesRow]> | undefined;

  get size(): number {
    let n = 0;
    for (const head of this.rows.values())
      for (let row: SeriesRow | undefined = head; row !== undefined; row = row.next) n++;
    return n;
  }

  /** The remotes changed (a reload): slots mean other remotes now. */
  remotesChanged(): void {
    this.generation++;
  }

  /** The records of `row` for the current remotes. */
  recordsOf(row: SeriesRow): Array<SeriesRecord | undefined> {
    if (row.generation !== this.generation) {
      this.forgetRecords(row);
      row.generation = this.generation;
    }
    return row.records;
  }

  /** A record for labels the remote sends: encoded once, here. */
  encode(labels: readonly string[]): SeriesRecord {
    this.scratch.reset();
    this.scratch.writeLabels(labels);
    return this.place(this.scratch.view(0, this.scratch.length));
  }

  /**
   * A record for a series sent as it is served (no write_relabel_configs), encoded from its bytes; undefined when it
   * cannot be.
   */
  encodeServed(row: SeriesRow): SeriesRecord | undefined {
    this.scratch.reset();
    if (!this.scratch.writeServedLabels(row.key, row.keyOff, row.keyOff + row.keyLen)) return undefined;
    return this.place(this.scratch.view(0, this.scratch.length));
  }

  /** Copies encoded labels into the chunk being filled (a new one when they do not fit). */
  private place(bytes: Buffer): SeriesRecord {
    if (bytes.length > LABEL_CHUNK_BYTES - this.used) {
      this.chunk = Buffer.allocUnsafeSlow(Math.max(LABEL_CHUNK_BYTES, bytes.length));
      this.used = 0;
    }
    const start = this.used;
    this.chunk.set(bytes, start);
    this.used += bytes.length;
    this.placedBytes += bytes.length;
    return { labels: this.chunk, start, end: this.used, reason: 'relabel' };
  }

  private forgetRecords(row: SeriesRow): void {
    for (const record of row.records)
      if (record !== undefined && record.start >= 0) this.deadBytes += record.end - record.start;
    row.records = [];
  }

  /**
   * Starts reading a push. `stampedAtMs`: the snapshot's fetch time when it stamps its lines (Snapshot.stamped);
   * then a line without a timestamp is a departed series served once more for Prometheus's staleness, not a
   * sample, and is skipped (remote_write receivers get each good cycle's samples once).
   */
  read(body: Buffer, stampedAtMs?: number): PushCursor {
    if (this.sweeping !== undefined) this.sweep();
    this.push++;
    return new PushCursor(
      this,
      body,
      this.first,
      stampedAtMs === undefined ? undefined : Buffer.from(String(Math.round(stampedAtMs)), 'latin1'),
    );
  }

  /** @internal the cursor's first row of this push (the prediction for the next). */
  began(row: SeriesRow): void {
    this.first = row;
  }

  /** @internal */
  find(body: Buffer, start: number, end: number): SeriesRow {
    const hash = hashBytes(body, start, end);
    const length = end - start;
    const head = this.rows.get(hash);
    for (let row = head; row !== undefined; row = row.next) {
      if (row.keyLen === length && sameBytes(row.key, row.keyOff, body, start, length))
        return this.saw(row, body, start);
    }
    const row = new SeriesRow(body, start, length, hash);
    row.next = head;
    this.rows.set(hash, row);
    return this.saw(row, body, start);
  }

  /** @internal `row` is at body[start…) in this push. */
  saw(row: SeriesRow, body: Buffer, start: number): SeriesRow {
    row.seen = this.push;
    row.key = body;
    row.keyOff = start;
    return row;
  }

  /**
   * Ends a push: the rows it did not see go (a pod gone, a replica scaled down). Works until `deadlineMs`
   * (performance.now()) and says whether it finished; called again, it goes on where it stopped, so a
   * quarter of a million rows never hold the event loop in one turn.
   */
  sweep(deadlineMs = Infinity): boolean {
    this.sweeping ??= this.rows.entries();
    let visited = 0;
    for (let step = this.sweeping.next(); step.done !== true; step = this.sweeping.next()) {
      this.sweepChain(step.value[0], step.value[1]);
      if (++visited % ROWS_PER_CLOCK_CHECK === 0 && performance.now() >= deadlineMs) return false;
    }
    this.sweeping = undefined;
    if (this.first !== undefined && this.first.seen !== this.push) this.first = undefined;
    if (this.placedBytes >= COMPACT_FROM_BYTES && this.deadBytes * 2 > this.placedBytes) this.compact();
    return true;
  }

  /** The rows under one hash: the unseen ones go. */
  private sweepChain(hash: number, head: SeriesRow): void {
    let kept: SeriesRow | undefined;
    let last: SeriesRow | undefined;
    for (let row: SeriesRow | undefined = head; row !== undefined;) {
      const following: SeriesRow | undefined = row.next;
      if (row.seen === this.push) {
        if (row.follower !== undefined && row.follower.seen !== this.push) row.follower = undefined;
        if (last === undefined) kept = row;
        else last.next = row;
        last = row;
      } else {
        row.follower = undefined;
        this.forgetRecords(row);
      }
      row = following;
    }
    if (last !== undefined) last.next = undefined;
    if (kept === undefined) this.rows.delete(hash);
    else if (kept !== head) this.rows.set(hash, kept);
  }

  /** Copies the records still used into new chunks: memory follows the live series, at a cost of a copy of them. */
  private compact(): void {
    this.chunk = Buffer.allocUnsafeSlow(LABEL_CHUNK_BYTES);
    this.used = 0;
    this.placedBytes = 0;
    this.deadBytes = 0;
    for (const head of this.rows.values()) {
      for (let row: SeriesRow | undefined = head; row !== undefined; row = row.next) {
        if (row.generation !== this.generation) continue;
        for (const [slot, record] of row.records.entries()) {
          if (record === undefined || record.start < 0) continue;
          row.records[slot] = this.place(record.labels.subarray(record.start, record.end));
        }
      }
    }
  }
}

/** One push, sample by sample. */
export class PushCursor {
  row: SeriesRow | undefined;
  value = 0;
  /** The line's own timestamp, if it has one. */
  timestampMs: number | undefined;
  /** Sample lines that could not be read since the last takeInvalid(): counted, never hidden. */
  private invalid = 0;
  private readonly scanner: LineScanner;
  private previous: SeriesRow | undefined;

  /**
   * `fetchTime`: the push's fetch time as the snapshot writes it on every line without a timestamp of its
   * own (sample timestamps): such a line's timestamp is recognised by its bytes, never parsed.
   */
  constructor(
    private readonly table: PushSeries,
    private readonly body: Buffer,
    private predicted: SeriesRow | undefined,
    private readonly fetchTime?: Buffer,
  ) {
    this.scanner = new LineScanner(body);
  }

  /** A line without a timestamp in a stamped snapshot: a departed series, no sample of this fetch. */
  private departed(): boolean {
    return this.fetchTime !== undefined && this.scanner.tsStart < 0;
  }

  /** The line's own timestamp, undefined when it has none or it is the fetch time; NaN when unreadable. */
  private lineTimestamp(): number | undefined {
    const { body, scanner, fetchTime } = this;
    const { tsStart, tsEnd } = scanner;
    if (tsStart < 0) return undefined;
    if (
      fetchTime !== undefined &&
      tsEnd - tsStart === fetchTime.length &&
      body.compare(fetchTime, 0, fetchTime.length, tsStart, tsEnd) === 0
    )
      return undefined;
    return parseIntegerTimestamp(body.toString('latin1', tsStart, tsEnd)) ?? NaN;
  }

  /** Moves to the next sample that can be read; false at the end of the body. */
  next(): boolean {
    const { body, scanner, table } = this;
    for (;;) {
      let row: SeriesRow;
      const predicted = this.predicted;
      if (predicted !== undefined && scanner.nextWithSeries(predicted.key, predicted.keyOff, predicted.keyLen)) {
        if (this.departed()) continue;
        row = table.saw(predicted, body, scanner.first);
      } else {
        const kind = scanner.next();
        if (kind === -1) return false;
        if (kind !== LINE_SAMPLE) continue;
        if (scanner.seriesEnd < 0) {
          this.invalid++;
          continue;
        }
        if (this.departed()) continue;
        row = table.find(body, scanner.first, scanner.seriesEnd);
      }
      if (this.previous === undefined) table.began(row);
      else this.previous.follower = row;
      this.previous = row;
      this.predicted = row.follower;
      const value = parseGoFloat(body.toString('latin1', scanner.valueStart, scanner.valueEnd));
      const timestampMs = this.lineTimestamp();
      if (value === undefined || Number.isNaN(timestampMs)) {
        this.invalid++;
        continue;
      }
      this.row = row;
      this.value = value;
      this.timestampMs = timestampMs;
      return true;
    }
  }

  /** The unreadable lines counted since the last call. */
  takeInvalid(): number {
    const n = this.invalid;
    this.invalid = 0;
    return n;
  }

  /** Counts the sample lines left without reading them (to account for a push not sent). */
  countRest(): number {
    let count = 0;
    for (let kind = this.scanner.next(); kind !== -1; kind = this.scanner.next()) if (kind === LINE_SAMPLE) count++;
    return count;
  }
}

/** Sample lines in a body (a push dropped whole). */
export function countSamples(body: Buffer): number {
  return new PushCursor(new PushSeries(), body, undefined).countRest();
}
