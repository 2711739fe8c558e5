/**
 * The conformance corpus: payloads of Prometheus text 0.0.4, each line labelled with what Prometheus 2.42's
 * scrape parser (model/textparse/promparse.go + promlex.l) makes of it. The labels are the generator's model
 * of Prometheus, and the suite checks that model against the real thing: a round's direct scrape must be
 * healthy exactly when no line of it is refused, and every reference body must be scraped healthy.
 */

/** What Prometheus 2.42 does with one line. */
export type PromVerdict =
  /** Read (a sample is stored, metadata recorded, a comment skipped). */
  | 'ok'
  /** Refused: the whole scrape fails (`break loop` in scrape/scrape.go), every series of the target goes stale. */
  | 'refused';

export interface Line {
  /** The line as sent, without its `\n` (a CRLF line ends in `\r`). */
  text: string;
  prom: PromVerdict;
  /**
   * What the bridge must read the line as, written so Prometheus reads it: `text` itself for an `ok` line,
   * a normalized line for a refused line the bridge deliberately accepts (CRLF, leading blanks), or null for
   * an invalid line, which the bridge skips.
   */
  ref: string | null;
  /** Which generator feature wrote it, for failure messages. */
  feature: string;
}

/** How a series can differ between the reference and the bridge (see compare.ts). */
export type DiffKind = 'missing' | 'extra' | 'values' | 'stale';

/** A tag of allow-list.ts: a deliberate difference this round contains. */
export type AllowTag = 'broken-histogram' | 'empty-body' | 'no-samples-body';

export interface Allowance {
  tag: AllowTag;
  /** Metric names (`__name__`) the difference may touch; empty means every series of the payload. */
  names: string[];
}

export interface Round {
  lines: Line[];
  /** The body ends with `\n` (Prometheus accepts both). */
  trailingNewline: boolean;
  allow: Allowance[];
}

export interface Payload {
  /** `p07`: the bridge target's name, its `payload` label, and part of every metric name in it. */
  id: string;
  features: string[];
  rounds: [Round, Round];
}

export function bodyOf(round: Round): string {
  if (round.lines.length === 0) return '';
  return round.lines.map((l) => l.text).join('\n') + (round.trailingNewline ? '\n' : '');
}

/** The body Prometheus should store exactly what the bridge stores from `round`. */
export function referenceBodyOf(round: Round): string {
  const kept = round.lines.flatMap((l) => (l.ref === null ? [] : [l.ref]));
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
}

export function refusedLines(round: Round): Line[] {
  return round.lines.filter((l) => l.prom === 'refused');
}

/** A payload needs a reference scrape when Prometheus refuses some round of it. */
export function needsReference(payload: Payload): boolean {
  return payload.rounds.some((r) => refusedLines(r).length > 0);
}
