/**
 * Series by series, what the reference Prometheus job stored against what the bridge's job stored for one
 * payload: the same series, the same values bit for bit in the same order (runs of equal values once, as
 * the two jobs scrape at different moments), the same explicitly timestamped samples, and the same series
 * still current at the end (a series the upstream dropped must be marked stale through the bridge too).
 */
import { ALLOWED } from './allow-list.js';
import type { AllowTag, DiffKind, Payload } from './payload.js';
import type { StoredSeries } from './stored-samples.js';

export interface Diff {
  payload: string;
  series: string;
  kind: DiffKind;
  reference: string;
  bridge: string;
  /** The allow-list entry that explains it, if one does. */
  allowedBy?: AllowTag;
}

export interface Stored {
  samples: Map<string, StoredSeries>;
  current: Map<string, string>;
}

const show = (s: StoredSeries | undefined): string =>
  s === undefined
    ? '(none)'
    : [...s.scraped, ...(s.stamped.length > 0 ? [`@ ${s.stamped.join(' ')}`] : [])].join(' → ');

function allowance(payload: Payload, series: string, kind: DiffKind): AllowTag | undefined {
  const name = series.slice(0, series.indexOf('{'));
  for (const round of payload.rounds) {
    for (const a of round.allow) {
      if (ALLOWED[a.tag].kinds.includes(kind) && (a.names.length === 0 || a.names.includes(name))) return a.tag;
    }
  }
  return undefined;
}

export function compareStored(payload: Payload, reference: Stored, bridge: Stored): Diff[] {
  const diffs: Diff[] = [];
  const add = (series: string, kind: DiffKind, ref: string, got: string) => {
    const allowedBy = allowance(payload, series, kind);
    diffs.push({ payload: payload.id, series, kind, reference: ref, bridge: got, ...(allowedBy ? { allowedBy } : {}) });
  };
  for (const [series, ref] of reference.samples) {
    const got = bridge.samples.get(series);
    if (got === undefined) add(series, 'missing', show(ref), '(none)');
    else if (show(ref) !== show(got)) add(series, 'values', show(ref), show(got));
  }
  for (const [series, got] of bridge.samples)
    if (!reference.samples.has(series)) add(series, 'extra', '(none)', show(got));
  for (const series of new Set([...reference.current.keys(), ...bridge.current.keys()])) {
    const inRef = reference.current.has(series);
    const inBridge = bridge.current.has(series);
    if (inRef !== inBridge && reference.samples.has(series) && bridge.samples.has(series)) {
      add(series, 'stale', inRef ? 'current' : 'stale', inBridge ? 'current' : 'stale');
    }
  }
  return diffs;
}

export function describeDiff(d: Diff): string {
  return `${d.payload} ${d.kind} ${d.series}\n    reference: ${d.reference}\n    bridge:    ${d.bridge}`;
}
