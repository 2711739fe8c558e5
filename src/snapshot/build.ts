/**
 * From one response body to a snapshot, all or nothing, at a cost that follows what changed since the last
 * cycle. The body is read once by the line scanner; each sample line's raw series bytes are looked up in the
 * series cache (series-cache.ts), and only a series not seen before is parsed, relabeled and rendered
 * (new-series.ts). The whole-cycle rules are then applied to this cycle's lines: families regrouped in order
 * of first appearance, duplicates after relabeling and broken histograms left out and counted, the limits
 * checked; the output is written into one buffer (snapshot.ts). A body equal to the last one is not read again.
 * Never throws on anything upstream sends.
 */
import {
  CH_CR,
  CH_LF,
  CH_SPACE,
  CH_TAB,
  formatFromContentType,
  formatTimestampMs,
  formatValue,
  invalidLine,
  isPlainDecimal,
  isTextTimestamp,
  LINE_BLANK,
  LINE_COMMENT,
  LINE_SAMPLE,
  LineScanner,
  readCommentLine,
  readOtherValue,
  SampleLineReader,
} from '../exposition/index.js';
import type { UpstreamConfig } from '../config/index.js';
import type { ExpositionFormat, InvalidLine, InvalidLineKind, Sample } from '../exposition/index.js';
import {
  attachIdentity,
  engineDeployment,
  platformIdentity,
  type CompiledRules,
  type DeploymentIdentity,
} from '../relabel/index.js';
import type { BuildFailureReason, DropReason } from './reasons.js';
import { CycleLines } from './cycle-lines.js';
import { BodyMetadata } from './metadata.js';
import { NewSeries } from './new-series.js';
import { OutBlocks } from './out-blocks.js';
import { ServedLines } from './departed.js';
import { DeploymentIdentities, NO_IDENTITY, type DeploymentSlot } from './deployment-identities.js';
import { resolveLines, type Cardinality } from './resolve.js';
import { routeSample } from './routes.js';
import { SampleName, SeriesCache, type SeriesEntry } from './series-cache.js';
import { snapshotFromLines, type Snapshot } from './snapshot.js';

/** A cycle's served lines in output order, and its series counts (what snapshotFromLines writes from). */
type Resolved = Parameters<typeof snapshotFromLines>[2];
import type { ScrapeLimits } from './limits.js';

/** The upstream keys the builder reads, as the config decoded them (config/upstream.ts says what each does). */
export interface BuildOptions
  extends ScrapeLimits, Pick<UpstreamConfig, 'maxInvalidLineRatio' | 'sampleTimestamps' | 'engineIdentity'> {
  helpSuffix: string;
}

export type BuildSuccess = {
  ok: true;
  snapshot: Snapshot;
  invalidLines: InvalidLine[];
  dropped: Map<DropReason, number>;
  droppedByRule: Array<[rule: number, series: number]>;
  cardinality: Cardinality;
  /** Series this cycle had to parse (not in the cache): all of them on the first cycle. */
  newSeries: number;
  /** The body was the same as the last one: the last snapshot is served again, with this fetch's time. */
  unchanged: boolean;
  /**
   * Engine series served without an identity (no platform series of their deployment in the body), and which
   * deployments.
   */
  unidentified: { series: number; deployments: string[] };
  /** Engine series decided again this cycle because their deployment's identity changed (what that cost). */
  identityChanges: number;
  /** Every deployment's identity, when it changed since the last good body (for the status page's debugger). */
  identities?: Array<[deploymentId: string, identity: DeploymentIdentity]>;
};

export type BuildResult =
  BuildSuccess | { ok: false; reason: BuildFailureReason; message: string; invalidLines: InvalidLine[] };

/** SnapshotBuilder.repeat before any good body: nothing to serve again (a caller that kept a body lost track). */
export const NOTHING_TO_REPEAT: BuildResult = {
  ok: false,
  reason: 'builder_failed',
  message: 'snapshot builder: no good body to serve again',
  invalidLines: [],
};

export function describeLine(line: InvalidLine): string {
  return `line ${line.line}: ${line.reason} (${JSON.stringify(line.excerpt)})`;
}

/**
 * Baseten refreshes its export every 30 s (BASETEN.md): a body fetched again within that of the time its
 * lines carry is the same observation, and keeps that time (SnapshotBuilder.repeat).
 */
const BASETEN_REFRESH_MS = 30_000;

/** Bytes of a bad line kept for its excerpt (80 characters of at most 4 bytes): never a copy of a huge line. */
const EXCERPT_BYTES = 320;
const EOF_LINE = 'eof';

/** Holds what one config learns across cycles: the series cache, the output blocks and the last body. */
export class SnapshotBuilder {
  private readonly cache = new SeriesCache();
  private readonly blocks: OutBlocks;
  private readonly fresh: NewSeries;
  private readonly reader = new SampleLineReader();
  private readonly lines = new CycleLines();
  private cycle = 0;
  /** The metadata the sample names' families were last worked out under, and the names. */
  private signature: string | undefined;
  private readonly names = new Map<string, SampleName>();
  private newNames: SampleName[] = [];
  /** The entries this cycle inserted. */
  private inserted: SeriesEntry[] = [];
  /** The last good body, what it made, and its served lines' order (a failed body in between changes none). */
  private last: { body: Buffer; format: ExpositionFormat; result: BuildSuccess; order: Resolved } | undefined;
  /** No body was read since the last good one: the cycle's lines and blocks are still its own. */
  private linesAreLast = false;
  /** The served lines of the last body read as metrics, in output order. */
  private order: Resolved | undefined;
  /** Where the last good snapshot wrote each of its lines, to find series that leave (departed.ts). */
  private readonly served = new ServedLines();
  /** The deployments' identities, and the engine series new since they were last settled. */
  private readonly identities = new DeploymentIdentities();
  private unsettled: SeriesEntry[] = [];
  /** This cycle's engine series that could not be cached (no key to read them again from): their samples. */
  private readonly uncachedEngine = new Map<SeriesEntry, Sample>();
  /** Bodies entries may point into: the last good one and any read since (a failed body keeps the keys it set). */
  private held: Buffer[] = [];
  /** The largest body let go since takeReleased last ran: nothing points into it (see takeReleased). */
  private released: Buffer | undefined;

  constructor(
    rules: CompiledRules,
    private readonly opts: BuildOptions,
  ) {
    this.blocks = new OutBlocks(opts.helpSuffix);
    this.fresh = new NewSeries(rules, this.cache);
  }

  /** The snapshot of the last good body: its bytes are what served series' rendered text points into. */
  private get lastSnapshot(): Snapshot | undefined {
    return this.last?.result.snapshot;
  }

  /** Distinct series the cache holds. */
  get cachedSeries(): number {
    return this.cache.size;
  }

  build(body: Buffer, contentType: string | undefined, fetchedAtMs: number): BuildResult {
    const format = formatFromContentType(contentType);
    const last = this.last;
    if (last !== undefined && last.format === format && last.body.equals(body)) {
      this.release(body);
      return this.repeat(fetchedAtMs)!;
    }
    this.held.push(body);
    return this.readAndKeep(body, format, fetchedAtMs);
  }

  /**
   * What the last good body makes when fetched again at `fetchedAtMs` (Baseten sent the same bytes; the
   * caller may know it without handing them over: targets/bridge.ts), or undefined before the first good
   * body. Without sample timestamps that is the last snapshot with the new time. With them, within Baseten's
   * refresh of the time its lines carry, the same lines too: it is the same observation, and Prometheus
   * stores it once (unless it carries departed series, which are served for one cycle only). Past that its lines are
   * written again with the new fetch time (an idle organization's
   * unchanged values are still current, and must not age out of Prometheus's lookback), from the cache,
   * nothing parsed.
   */
  repeat(fetchedAtMs: number): BuildResult | undefined {
    const last = this.last;
    if (last === undefined) return undefined;
    const served = last.result.snapshot;
    // Departed series are carried for one cycle: a snapshot with some is not served again as it is.
    if (
      !this.opts.sampleTimestamps ||
      (fetchedAtMs - served.stampedAtMs < BASETEN_REFRESH_MS && this.served.carried === 0)
    ) {
      return {
        ...last.result,
        snapshot: Object.freeze({ ...served, fetchedAtMs }),
        newSeries: 0,
        unchanged: true,
        identityChanges: 0,
        identities: undefined,
      };
    }
    // A body read since (it failed) left its own lines: read the last good one again, every line a cache hit.
    if (!this.linesAreLast) return this.readAndKeep(last.body, last.format, fetchedAtMs, true);
    const snapshot = snapshotFromLines(
      last.body,
      this.lines,
      last.order,
      this.blocks.active,
      { fetchedAtMs, stamp: true },
      last.result.snapshot,
      this.served,
    );
    const result: BuildSuccess = {
      ...last.result,
      snapshot,
      newSeries: 0,
      unchanged: true,
      identityChanges: 0,
      identities: undefined,
    };
    this.last = { ...last, result };
    return result;
  }

  /** Reads a body (already in `held`); a good one becomes the last, and frees the bodies before it. */
  private readAndKeep(body: Buffer, format: ExpositionFormat, fetchedAtMs: number, unchanged = false): BuildResult {
    this.linesAreLast = false;
    const read = this.read(body, format, fetchedAtMs);
    this.inserted = [];
    if (!read.ok) return read;
    const result = unchanged ? { ...read, unchanged } : read;
    this.last = { body, format, result, order: this.order! };
    this.linesAreLast = true;
    // Every entry left was seen in this body, and points into it: the bodies before it are free.
    const before = this.held;
    this.held = [body];
    for (const b of before) this.release(b);
    return result;
  }

  /**
   * A body nothing in the builder points into any more, or undefined: the caller may read the next body into
   * its memory (and must not use it otherwise). Each is handed out once.
   */
  takeReleased(): Buffer | undefined {
    const b = this.released;
    this.released = undefined;
    return b;
  }

  private release(body: Buffer): void {
    if (this.held.some((h) => h.buffer === body.buffer)) return;
    if (this.released === undefined || body.buffer.byteLength > this.released.buffer.byteLength) this.released = body;
  }

  private read(body: Buffer, format: ExpositionFormat, fetchedAtMs: number): BuildResult {
    if (isBlank(body))
      return { ok: false, reason: 'parse', message: 'upstream answered 200 with an empty body', invalidLines: [] };
    const om = format === 'openmetrics';
    const cycle = ++this.cycle;
    const scanner = new LineScanner(body, format);
    const meta = new BodyMetadata(format);
    const lines = this.lines;
    lines.reset();
    this.inserted = [];
    this.uncachedEngine.clear();
    this.fresh.space.beginCycle();
    const invalidLines: InvalidLine[] = [];
    const reject = (kind: InvalidLineKind, reason: string) => {
      const excerpt = body.toString('utf8', scanner.start, Math.min(scanner.end, scanner.start + EXCERPT_BYTES));
      invalidLines.push(invalidLine(scanner.lineNumber, kind, reason, excerpt));
    };
    let totalLines = 0;
    let sawEof = false;
    let newSeries = 0;
    let keptSeries = 0;
    const sampleLimit = this.opts.sampleLimit > 0 ? this.opts.sampleLimit : Infinity;
    let previous: SeriesEntry | undefined;

    for (;;) {
      // The line after the last one's series is most often the series that followed it last time: then only
      // the bytes after the series are read (and the series compared), else the line is scanned whole.
      const predicted = om ? undefined : previous?.follower;
      const hit = predicted !== undefined && scanner.nextWithSeries(predicted.key, predicted.keyOff, predicted.keyLen);
      const kind = hit ? LINE_SAMPLE : scanner.next();
      if (kind === -1) break;
      if (kind === LINE_BLANK) continue;
      totalLines++;
      if (sawEof) {
        // openmetricsparse.go: "unexpected data after # EOF".
        reject('eof', 'unexpected data after # EOF');
        continue;
      }
      if (kind === LINE_COMMENT) {
        const problem = this.comment(body, scanner, meta, om);
        if (problem === EOF_LINE) sawEof = true;
        else if (problem !== undefined) reject('metadata', problem);
        continue;
      }
      const { first, seriesEnd } = scanner;
      const cacheable = seriesEnd > first && (scanner.tail || om);
      let entry = hit ? predicted : cacheable ? this.cache.find(body, first, seriesEnd) : undefined;
      let sample: Sample | undefined;
      if (entry === undefined || om) {
        sample = this.readLine(body, scanner);
        if (sample === undefined) {
          reject('sample', this.reader.reason);
          continue;
        }
      }
      if (entry === undefined) {
        newSeries++;
        // A line read whole after a failed prediction was looked up (and hashed) by find: its hash is known.
        const keyHash = !hit && cacheable ? this.cache.lastHash : undefined;
        const sampleName = this.sampleName(sample!.name);
        const identified = this.identify(sampleName.engine, sample!, cycle);
        entry = this.fresh.entry(
          sample!,
          sampleName,
          body,
          first,
          cacheable ? seriesEnd - first : 0,
          keyHash,
          identified?.labels,
        );
        if (identified !== undefined) {
          entry.deployment = identified.slot;
          entry.identity = identified.identity;
          if (sampleName.engine) {
            this.unsettled.push(entry);
            if (!cacheable) this.uncachedEngine.set(entry, sample!);
          }
        }
        if (cacheable) {
          this.cache.insert(entry);
          this.inserted.push(entry);
        }
      }
      const problem = om || !scanner.tail ? this.addWritten(entry, sample!) : this.addFromBytes(entry, body, scanner);
      if (problem !== undefined) {
        reject('sample', problem);
        continue;
      }
      const deployment = entry.deployment;
      if (deployment !== undefined) {
        // An engine line is settled once the whole body has said who its deployment is; a platform line says it.
        if (entry.sampleName.engine) this.identities.engineLine(deployment, cycle);
        else if (deployment.stated !== cycle) this.identities.stated(deployment, entry.identity!, cycle);
      }
      const out = entry.out;
      if (out !== undefined && out.readCycle !== cycle) {
        out.readCycle = cycle;
        // More distinct series than sample_limit can never be served: stop before they all take memory.
        if (++keptSeries > sampleLimit) return this.overLimit(cycle, invalidLines);
      }
      if (cacheable) {
        if (previous !== undefined) previous.follower = entry;
        previous = entry;
        entry.key = body;
        entry.keyOff = first;
      }
      entry.seen = cycle;
    }
    // The last line's entry would keep an older follower, perhaps evicted, perhaps pointing into a body let go.
    if (previous !== undefined) previous.follower = undefined;
    if (om && !sawEof) {
      // openmetricsparse.go: "data does not end with # EOF". Reported on the line after the last.
      invalidLines.push({
        line: scanner.lineNumber + 1,
        kind: 'eof',
        reason: 'expected # EOF at end of input',
        excerpt: '',
      });
    }

    const ratio = totalLines === 0 ? 1 : invalidLines.length / totalLines;
    if ((invalidLines.length > 0 && ratio > this.opts.maxInvalidLineRatio) || lines.count === 0) {
      // Not read as metrics: nothing is evicted, the next good body finds the series it had.
      this.cache.sweep(cycle, false, this.lastSnapshot?.text);
      if (invalidLines.length === 0 || ratio <= this.opts.maxInvalidLineRatio)
        return { ok: false, reason: 'parse', message: 'upstream body holds no samples', invalidLines };
      const looksHtml = /^\s*<(!doctype|html)/i.test(body.toString('latin1', 0, Math.min(body.length, 64)));
      const what = looksHtml
        ? 'an HTML page, not metrics'
        : `${invalidLines.length} of ${totalLines} lines invalid, above ` +
          `upstream.max_invalid_line_ratio ${this.opts.maxInvalidLineRatio}`;
      return {
        ok: false,
        reason: 'parse',
        message: `upstream body is ${what}; first bad ${describeLine(invalidLines[0]!)}`,
        invalidLines,
      };
    }

    const settled = this.settleIdentities(body, om, cycle);
    this.updateFamilies(`${format}\n${meta.signature}`, meta);
    const resolved = resolveLines(lines, this.blocks, cycle, this.opts, this.cache.labelSets, (e) => this.route(e));
    if (!resolved.ok) {
      this.cache.sweep(cycle, true, this.lastSnapshot?.text);
      this.identities.sweep(cycle);
      this.blocks.sweep(cycle);
      return { ok: false, ...resolved.breach, invalidLines };
    }
    this.order = { order: resolved.order, seriesIn: resolved.seriesIn, seriesOut: resolved.seriesOut };
    const before = this.lastSnapshot;
    // Stamped series that left are served once more, unstamped, so that Prometheus marks them stale (departed.ts).
    const departures =
      this.opts.sampleTimestamps && before !== undefined ? { previous: before, served: this.served, cycle } : undefined;
    const snapshot = snapshotFromLines(
      body,
      lines,
      this.order,
      this.blocks.active,
      { fetchedAtMs, stamp: this.opts.sampleTimestamps },
      before,
      this.served,
      departures,
    );
    this.cache.sweep(cycle, true, snapshot.text);
    this.identities.sweep(cycle);
    this.blocks.sweep(cycle);
    for (const [name, state] of this.names) if (state.seen !== cycle) this.names.delete(name);
    const { dropped, droppedByRule, cardinality } = resolved;
    const identities = this.opts.engineIdentity ? this.identities.identities(cycle) : undefined;
    return {
      ok: true,
      snapshot,
      invalidLines,
      dropped,
      droppedByRule: [...droppedByRule],
      cardinality,
      newSeries,
      unchanged: false,
      ...settled,
      ...(identities ? { identities } : {}),
    };
  }

  /**
   * What identity a new series carries (relabel/engine-identity.ts), when the target attaches them: an engine series
   * is decided with its deployment's identity as far as the body has said it yet (settleIdentities decides it
   * again when the rest of the body says otherwise); a platform series states its deployment's.
   */
  private identify(
    engine: boolean,
    sample: Sample,
    cycle: number,
  ): { slot: DeploymentSlot; identity: DeploymentIdentity; labels: Sample['labels'] } | undefined {
    if (!this.opts.engineIdentity) return undefined;
    if (engine) {
      // An engine series without deployment_id has the slot '' that no platform series states: counted, as it came.
      const slot = this.identities.slot(engineDeployment(sample.labels) ?? '');
      const identity = slot.current(cycle);
      return {
        slot,
        identity,
        labels: identity === NO_IDENTITY ? sample.labels : attachIdentity(sample.labels, identity).labels,
      };
    }
    const platform = platformIdentity(sample.name, sample.labels);
    if (platform === undefined) return undefined;
    return {
      slot: this.identities.slot(platform.deploymentId),
      identity: this.identities.intern(platform.identity),
      labels: sample.labels,
    };
  }

  /**
   * Engine series against their deployment's identity as the whole body states it: the cached ones of a
   * deployment whose identity changed (rare: a scan of the cycle's lines then), and the ones new since the
   * last settle (decided as far as the body had said it when they were read), are decided again when they
   * were decided with another; every other engine series was settled with its deployment's identity already.
   */
  private settleIdentities(
    body: Buffer,
    om: boolean,
    cycle: number,
  ): Pick<BuildSuccess, 'unidentified' | 'identityChanges'> {
    if (!this.opts.engineIdentity) return { unidentified: { series: 0, deployments: [] }, identityChanges: 0 };
    const { changed, unidentified } = this.identities.settle(cycle);
    let identityChanges = 0;
    const settle = (entry: SeriesEntry) => {
      const want = entry.deployment!.settled;
      if (entry.identity === want) return;
      const sample =
        this.uncachedEngine.get(entry) ??
        this.reader.readSeries(body.toString('utf8', entry.keyOff, entry.keyOff + entry.keyLen), 0, entry.keyLen, om);
      if (sample === undefined) return; // read once already: cannot fail now
      const labels = want === NO_IDENTITY ? sample.labels : attachIdentity(sample.labels, want).labels;
      this.cache.decideAgain(entry, this.fresh.decide(sample.name, labels, entry.keyLen > 0));
      entry.identity = want;
      identityChanges++;
    };
    if (changed.size > 0) {
      const { entries, count } = this.lines;
      for (let i = 0; i < count; i++) {
        const entry = entries[i]!;
        if (entry.deployment !== undefined && entry.sampleName.engine && changed.has(entry.deployment)) settle(entry);
      }
    }
    // A new one not seen this cycle is evicted at its end (settling runs only for a body read as metrics).
    for (const entry of this.unsettled) if (entry.seen === cycle) settle(entry);
    this.unsettled = [];
    return { unidentified, identityChanges };
  }

  /** A body with more series than sample_limit, refused while it was read: its new series are let go. */
  private overLimit(cycle: number, invalidLines: InvalidLine[]): BuildResult {
    // The series this body brought are let go (a spike over the limit is not the next cycle's series).
    this.cache.remove(this.inserted);
    this.inserted = [];
    this.cache.sweep(cycle, false, this.lastSnapshot?.text);
    const limit = this.opts.sampleLimit;
    return {
      ok: false,
      reason: 'sample_limit',
      message:
        `sample_limit exceeded (more than ${limit} series after relabeling, ` +
        `limit ${limit}; the rest of the body was not read)`,
      invalidLines,
    };
  }

  /** Reads a comment line into the metadata; returns a problem, `eof`, or undefined. */
  private comment(body: Buffer, scanner: LineScanner, meta: BodyMetadata, om: boolean): string | undefined {
    const text = body.toString('utf8', scanner.first, scanner.end);
    const line = readCommentLine(text, 0, text.length, om);
    switch (line.kind) {
      case 'comment':
        return undefined;
      case 'eof':
        return EOF_LINE;
      case 'help':
        meta.declareHelp(line.name, line.help);
        return undefined;
      case 'type':
        meta.declareType(line.name, line.type);
        return undefined;
      case 'unit':
        meta.declareUnit(line.name);
        return undefined;
      case 'invalid':
        return line.reason;
      default: {
        const unreachable: never = line;
        return `unexpected line kind ${JSON.stringify(unreachable)}`;
      }
    }
  }

  private readLine(body: Buffer, scanner: LineScanner): Sample | undefined {
    const text = body.toString('utf8', scanner.first, scanner.end);
    return this.reader.read(text, 0, text.length, scanner.om);
  }

  /** The value and timestamp as the body wrote them: copied when in the output grammar (exposition/parse-number.ts). */
  private addFromBytes(entry: SeriesEntry, body: Buffer, scanner: LineScanner): string | undefined {
    const { valueStart, valueEnd, tsStart, tsEnd } = scanner;
    if (tsStart >= 0 && !isTextTimestamp(body, tsStart, tsEnd))
      return (
        this.lineProblem(body, scanner) ??
        `timestamp ${quote(body, tsStart, tsEnd)} is not one Prometheus reads (digits only, within int64)`
      );
    if (isPlainDecimal(body, valueStart, valueEnd)) {
      this.lines.add(entry, valueStart, valueEnd, tsStart, tsEnd);
      return undefined;
    }
    const value = readOtherValue(body, valueStart, valueEnd);
    if (value === undefined)
      return (
        this.lineProblem(body, scanner) ?? `expected a number as value, found ${quote(body, valueStart, valueEnd)}`
      );
    const ts = tsStart >= 0 ? ` ${body.toString('latin1', tsStart, tsEnd)}` : '';
    this.lines.addWritten(entry, `${formatValue(value)}${ts}`, tsStart >= 0);
    return undefined;
  }

  /** A sample read whole (OpenMetrics, or a line whose parts the scanner could not split): written anew. */
  private addWritten(entry: SeriesEntry, sample: Sample): string | undefined {
    const ts = sample.timestampMs;
    // Text 0.0.4 timestamps are unsigned integer milliseconds: an earlier one cannot be written at all.
    if (ts !== undefined && (ts < 0 || !Number.isSafeInteger(Math.trunc(ts))))
      return `timestamp ${ts} ms cannot be written in text 0.0.4 (before 1970 or out of range)`;
    this.lines.addWritten(
      entry,
      ts === undefined ? formatValue(sample.value) : `${formatValue(sample.value)} ${formatTimestampMs(ts)}`,
      ts !== undefined,
    );
    return undefined;
  }

  /** Why the string-level reader refuses the current line, or undefined when it reads it. */
  private lineProblem(body: Buffer, scanner: LineScanner): string | undefined {
    return this.readLine(body, scanner) === undefined ? this.reader.reason : undefined;
  }

  private sampleName(name: string): SampleName {
    let state = this.names.get(name);
    if (state === undefined) {
      state = new SampleName(name);
      this.names.set(name, state);
      this.newNames.push(state);
    }
    return state;
  }

  /**
   * Works out the input family of the names new this cycle and, when the metadata changed, of every name;
   * a name whose family changed gets a new version, so that only its entries are routed again.
   */
  private updateFamilies(signature: string, meta: BodyMetadata): void {
    const changed = signature !== this.signature;
    this.signature = signature;
    for (const state of changed ? this.names.values() : this.newNames) {
      const family = meta.familyOf(state.name);
      const was = state.family;
      if (was !== undefined && was.name === family.name && was.type === family.type && was.help === family.help)
        continue;
      state.family = family;
      state.version++;
      state.route = undefined;
      state.renamed = undefined;
    }
    this.newNames = [];
  }

  /** Where an entry's series is served under its name's current family; shared by the entries of the same names. */
  private route(entry: SeriesEntry): void {
    const names = entry.sampleName;
    const outName = entry.out!.name;
    const own = outName === names.name;
    let route = own ? names.route : names.renamed?.get(outName);
    if (route === undefined) {
      route = routeSample(names.family!, names.name, outName);
      if (own) names.route = route;
      else (names.renamed ??= new Map()).set(outName, route);
    }
    entry.route = route;
    entry.routeVersion = names.version;
    entry.group = route.histogram ? this.blocks.family(route.family).group(entry.out!.groupKey) : undefined;
  }
}

function isBlank(body: Buffer): boolean {
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== CH_SPACE && c !== CH_TAB && c !== CH_LF && c !== CH_CR) return false;
  }
  return true;
}

function quote(body: Buffer, start: number, end: number): string {
  const token = body.toString('utf8', start, Math.min(end, start + 24));
  return `\`${token}\``;
}
