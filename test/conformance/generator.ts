/**
 * A seeded generator of text 0.0.4 payloads that Prometheus 2.42 reads, with edge cases of every kind and, in
 * some payloads, lines it refuses. Each payload has two rounds with the same shape (so the bridge's second
 * cycle can be warm) but new values, and in some payloads series that come and go.
 *
 * Shape choices (which blocks, names, labels, spellings) come from a random stream replayed identically for
 * both rounds; values come from a stream of their own per round.
 */
import { mulberry32, type Random } from '../../src/demo/prng.js';
import type { Allowance, Line, Payload, Round } from './payload.js';
import {
  BLANKS,
  BUCKET_SPELLINGS,
  INVALID_LINES,
  INVALID_TIMESTAMPS,
  INVALID_VALUES,
  LABEL_NAMES,
  LABEL_VALUES,
  SPECIAL_VALUES,
} from './spellings.js';

export interface CorpusOptions {
  seed: number;
  payloads: number;
  /** Explicit sample timestamps are drawn from the 9 minutes before this (ms), so they are never scrape times. */
  timestampsBeforeMs: number;
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Random, p: number): boolean => r() < p;
const count = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));

interface Ctx {
  pid: string;
  /** The payload's position in the corpus: spreads the catalogues of invalid lines over the payloads. */
  ordinal: number;
  round: 0 | 1;
  shape: Random;
  value: Random;
  /** Series that exist in one round only (`gen="r1"` / `gen="r2"`). */
  churn: boolean;
  timestampsBeforeMs: number;
  allow: Allowance[];
}

const ok = (text: string, feature: string): Line => ({ text, prom: 'ok', ref: text, feature });
const refused = (text: string, ref: string | null, feature: string): Line => ({ text, prom: 'refused', ref, feature });

/** A value spelling for this round. */
function valueText(c: Ctx): string {
  const r = c.value;
  const kind = r();
  if (kind < 0.25) return pick(r, SPECIAL_VALUES);
  if (kind < 0.45) return String(Math.floor(r() * 100000));
  if (kind < 0.55)
    return `${chance(r, 0.3) ? '-' : ''}${
      BigInt(Math.floor(r() * 2 ** 31)) * 10n ** BigInt(count(r, 7, 14)) + BigInt(Math.floor(r() * 1e6))
    }`;
  if (kind < 0.75) return (r() * 10 ** count(r, -12, 12) * (chance(r, 0.2) ? -1 : 1)).toPrecision(count(r, 1, 17));
  if (kind < 0.9) return String(r() * 1000);
  return `${count(r, 1, 9)}.${count(r, 0, 99)}e${pick(r, ['', '+', '-'])}${count(r, 0, 40)}`;
}

/** `{a="…",b="…"}` in one of the spellings Prometheus reads, or '' for no labels. */
function labelsText(c: Ctx, pairs: Array<[string, string]>): string {
  const s = c.shape;
  const style = s();
  if (pairs.length === 0) return chance(s, 0.3) ? pick(s, ['{}', '{ }', ' {}']) : '';
  const inner = (sep: string, pad: string) => pairs.map(([n, v]) => `${pad}${n}${pad}=${pad}"${v}"${pad}`).join(sep);
  if (style < 0.5) return `{${inner(',', '')}}`;
  if (style < 0.65) return `{${inner(',', '')},}`;
  if (style < 0.8) return `{${inner(' , ', pick(s, [' ', '\t']))}}`;
  // Commas are optional in promparse.go's parseLVals: after a value it takes a comma if there is one.
  if (style < 0.9) return `{${inner(' ', '')}}`;
  return ` {${inner(',\t', '')}, }`;
}

function sampleLine(
  c: Ctx,
  name: string,
  pairs: Array<[string, string]>,
  value = valueText(c),
  timestamp?: string,
): string {
  const s = c.shape;
  let line = `${name}${labelsText(c, pairs)}${pick(s, BLANKS)}${value}`;
  if (timestamp !== undefined) line += `${pick(s, BLANKS)}${timestamp}`;
  if (chance(s, 0.1)) line += pick(s, [' ', '\t', '  ']);
  return line;
}

function randomLabels(c: Ctx, max: number, taken: readonly string[] = []): Array<[string, string]> {
  const s = c.shape;
  const names = LABEL_NAMES.filter((n) => !taken.includes(n))
    .sort(() => s() - 0.5)
    .slice(0, count(s, 0, max));
  return names.map((n) => [n, pick(s, LABEL_VALUES)]);
}

/** Lines of series that exist in one round only. */
function churned(c: Ctx, make: (gen: string) => Line[]): Line[] {
  if (!c.churn) return [];
  return make(c.round === 0 ? 'r1' : 'r2');
}

function help(c: Ctx, name: string): string {
  return (
    `# HELP ${name} ` +
    pick(c.shape, [
      'Plain help.',
      'Help with \\\\ and \\n escapes.',
      'caf\u00e9 \u65e5\u672c',
      'Unknown \\t escape, "quotes".',
      '',
    ])
  ).trimEnd();
}

type Block = (c: Ctx) => Line[];

const gauge: Block = (c) => {
  const name = `gauge_${c.pid}`;
  const lines = [ok(help(c, name), 'help'), ok(`# TYPE ${name} gauge`, 'type')];
  for (let i = count(c.shape, 1, 4); i > 0; i--) lines.push(ok(sampleLine(c, name, randomLabels(c, 3)), 'gauge'));
  lines.push(...churned(c, (gen) => [ok(sampleLine(c, name, [['gen', gen]]), 'churn')]));
  return lines;
};

const counter: Block = (c) => {
  const name = `requests_${c.pid}_total`;
  const lines = [ok(`# TYPE ${name} counter`, 'type'), ok(help(c, name), 'help')];
  for (const code of ['200', '500', '429'])
    lines.push(ok(sampleLine(c, name, [['code', code], ...randomLabels(c, 1, ['code'])]), 'counter'));
  return lines;
};

const colonNames: Block = (c) => [
  ok(sampleLine(c, `:leading_colon_${c.pid}`, []), 'colon-name'),
  ok(sampleLine(c, `job:rate5m:${c.pid}`, [['code', '200']]), 'colon-name'),
  ok(`# TYPE ns:${c.pid}:ratio gauge`, 'colon-name'),
  ok(sampleLine(c, `ns:${c.pid}:ratio`, randomLabels(c, 2)), 'colon-name'),
  ok(sampleLine(c, `_${c.pid}_underscore`, []), 'colon-name'),
];

const histogram: Block = (c) => {
  const name = `latency_${c.pid}_seconds`;
  const bounds = pick(c.shape, BUCKET_SPELLINGS);
  const lines = [ok(help(c, name), 'help'), ok(`# TYPE ${name} histogram`, 'type')];
  const sets: Array<Array<[string, string]>> = [
    [],
    [['model_name', pick(c.shape, LABEL_VALUES)]],
    [
      ['code', '200'],
      ['a', 'x'],
    ],
  ].slice(0, count(c.shape, 1, 3)) as Array<Array<[string, string]>>;
  const churnSet: Array<[string, string]> = [['gen', c.round === 0 ? 'r1' : 'r2']];
  for (const set of c.churn ? [...sets, churnSet] : sets) {
    // `le` may sit anywhere among the labels; Prometheus does not care.
    for (const le of bounds) {
      const pairs: Array<[string, string]> = chance(c.shape, 0.5) ? [...set, ['le', le]] : [['le', le], ...set];
      lines.push(ok(sampleLine(c, `${name}_bucket`, pairs, String(count(c.value, 0, 1000))), 'histogram'));
    }
    lines.push(ok(sampleLine(c, `${name}_sum`, set), 'histogram'));
    lines.push(ok(sampleLine(c, `${name}_count`, set, String(count(c.value, 0, 1000))), 'histogram'));
  }
  return lines;
};

const summary: Block = (c) => {
  const name = `rpc_${c.pid}_seconds`;
  const lines = [ok(`# TYPE ${name} summary`, 'type')];
  for (const set of [[], [['model_name', pick(c.shape, LABEL_VALUES)]]] as Array<Array<[string, string]>>) {
    for (const q of ['0.5', '0.9', '0.99']) lines.push(ok(sampleLine(c, name, [...set, ['quantile', q]]), 'summary'));
    lines.push(ok(sampleLine(c, `${name}_sum`, set), 'summary'));
    lines.push(ok(sampleLine(c, `${name}_count`, set), 'summary'));
  }
  return lines;
};

const untyped: Block = (c) => [
  ok(`# TYPE untyped_${c.pid} untyped`, 'type'),
  ok(sampleLine(c, `untyped_${c.pid}`, randomLabels(c, 2)), 'untyped'),
  ok(sampleLine(c, `bare_${c.pid}`, randomLabels(c, 2)), 'untyped'),
];

const escapes: Block = (c) => {
  const name = `escapes_${c.pid}`;
  return LABEL_VALUES.filter(() => chance(c.shape, 0.35)).map((v, i) =>
    ok(
      sampleLine(c, name, [
        ['i', String(i)],
        ['v', v],
      ]),
      'escape',
    ),
  );
};

const specialValues: Block = (c) => {
  const name = `special_${c.pid}`;
  const lines: Line[] = [ok(`# TYPE ${name} gauge`, 'type')];
  for (let i = 0; i < 8; i++)
    lines.push(ok(sampleLine(c, name, [['i', String(i)]], pick(c.value, SPECIAL_VALUES)), 'special-value'));
  return lines;
};

const timestamps: Block = (c) => {
  const name = `stamped_${c.pid}`;
  // Round 1 in the 9 to 5 minutes before the suite, round 2 in the 4 to 1 minutes before: new, in order.
  const at = (i: number) =>
    c.timestampsBeforeMs - (c.round === 0 ? 540_000 : 240_000) + i * 1000 + count(c.shape, 0, 999);
  return [
    ok(sampleLine(c, name, [['i', '0']], valueText(c), String(at(0))), 'timestamp'),
    ok(sampleLine(c, name, [['i', '1']], valueText(c), `000${at(1)}`), 'timestamp'),
    ok(sampleLine(c, name, [['i', '2']], valueText(c), String(at(2))), 'timestamp'),
    ok(sampleLine(c, name, [['i', 'none']]), 'timestamp'),
  ];
};

const braces: Block = (c) => {
  const n = `braces_${c.pid}`;
  const v = () => valueText(c);
  return [
    ok(`${n}{} ${v()}`, 'braces'),
    ok(`${n}{a="1",} ${v()}`, 'braces'),
    ok(`${n}{ a = "2" , b = "3" , } ${v()}`, 'braces'),
    ok(`${n}\t{a="4"}\t${v()}`, 'braces'),
    ok(`${n}{a="5"}${v()}`, 'braces'),
    ok(`${n}{a="6" b="7"} ${v()}`, 'braces'),
    // promlex.l ends a name at the first character that cannot be in one: the value may follow at once.
    ok(`${n}_glued-1`, 'braces'),
    ok(`${n}_glued2+${count(c.value, 0, 9)}.5`, 'braces'),
    ok(`${n}_glued3.25`, 'braces'),
  ];
};

const splitFamily: Block = (c) => {
  const a = `split_${c.pid}`;
  const b = `other_${c.pid}`;
  return [
    ok(`# TYPE ${a} gauge`, 'type'),
    ok(sampleLine(c, a, [['part', '1']]), 'split-family'),
    ok(sampleLine(c, b, []), 'split-family'),
    ok(sampleLine(c, a, [['part', '2']]), 'split-family'),
    ok(`# TYPE ${a}_hist histogram`, 'type'),
    ok(sampleLine(c, `${a}_hist_bucket`, [['le', '+Inf']], '3'), 'split-family'),
    ok(sampleLine(c, b, [['again', 'yes']]), 'split-family'),
    ok(sampleLine(c, `${a}_hist_sum`, []), 'split-family'),
    ok(sampleLine(c, `${a}_hist_count`, [], '3'), 'split-family'),
    ok(sampleLine(c, a, [['part', '3']]), 'split-family'),
  ];
};

const metadata: Block = (c) => {
  const n = `meta_${c.pid}`;
  return [
    ok(`# TYPE ${n} gauge`, 'metadata'),
    ok(`# TYPE ${n} gauge`, 'metadata-repeated'),
    ok(`# HELP ${n} First help.`, 'metadata'),
    ok(`# HELP ${n} Second help.`, 'metadata-repeated'),
    ok(sampleLine(c, n, [['x', '1']]), 'metadata'),
    ok(`# TYPE ${n} counter`, 'metadata-late-conflicting'),
    ok(`# HELP ${n} Late help.`, 'metadata-late'),
    ok(sampleLine(c, n, [['x', '2']]), 'metadata'),
    ok(sampleLine(c, `late_${c.pid}`, []), 'metadata'),
    ok(`# TYPE late_${c.pid} counter`, 'metadata-late'),
    ok(`# HELP late_${c.pid} Late help for a family that had none.`, 'metadata-late'),
    ok(`#\tTYPE tabbed_${c.pid}\tgauge`, 'metadata-tabs'),
    ok(sampleLine(c, `tabbed_${c.pid}`, []), 'metadata'),
    ok(`  # TYPE indented_${c.pid} gauge`, 'metadata-indented'),
    ok(sampleLine(c, `indented_${c.pid}`, []), 'metadata'),
    ok(`# TYPE nosamples_${c.pid} histogram`, 'metadata-without-samples'),
    ok(`# HELP nosamples_${c.pid} Metadata of a family with no samples.`, 'metadata-without-samples'),
  ];
};

const comments: Block = (c) => [
  ok('# a plain comment', 'comment'),
  ok('#no space after the hash', 'comment'),
  ok('# HELP', 'comment'),
  ok('# TYPEwriter is not a keyword', 'comment'),
  ok('#', 'comment'),
  ok('', 'blank'),
  ok(pick(c.shape, ['   ', '\t', ' \t ']), 'blank'),
  ok('# EOF', 'comment'),
  ok(sampleLine(c, `after_comments_${c.pid}`, []), 'comment'),
];

const suffixNames: Block = (c) => [
  // Suffixes that belong to no family here: each sample is its own series, whatever it is called.
  ok(`# TYPE looks_${c.pid}_bucket gauge`, 'suffix-name'),
  ok(sampleLine(c, `looks_${c.pid}_bucket`, [['le', '1']]), 'suffix-name'),
  ok(sampleLine(c, `orphan_${c.pid}_count`, []), 'suffix-name'),
  ok(sampleLine(c, `orphan_${c.pid}_sum`, []), 'suffix-name'),
  ok(`# TYPE gsum_${c.pid} summary`, 'suffix-name'),
  ok(sampleLine(c, `gsum_${c.pid}_count`, []), 'suffix-name'),
  ok(sampleLine(c, `gsum_${c.pid}_created`, []), 'suffix-name'),
];

const duplicates: Block = (c) => {
  const n = `dup_${c.pid}`;
  // Prometheus appends the first and drops the second as a duplicate sample for its timestamp.
  return [
    ok(
      sampleLine(c, n, [
        ['a', '1'],
        ['b', '2'],
      ]),
      'duplicate',
    ),
    ok(
      sampleLine(c, n, [
        ['b', '2'],
        ['a', '1'],
      ]),
      'duplicate',
    ),
    ok(
      sampleLine(c, n, [
        ['a', '1'],
        ['b', '2'],
      ]),
      'duplicate',
    ),
    // An empty label value is no label (labels.Builder drops it): the same series as `dup` with b only.
    ok(sampleLine(c, n, [['b', '2']]), 'duplicate'),
    ok(
      sampleLine(c, n, [
        ['a', ''],
        ['b', '2'],
      ]),
      'duplicate',
    ),
  ];
};

const brokenHistogram: Block = (c) => {
  const name = `broken_${c.pid}`;
  c.allow.push({ tag: 'broken-histogram', names: [`${name}_bucket`, `${name}_sum`, `${name}_count`] });
  return [
    ok(`# TYPE ${name} histogram`, 'type'),
    ok(sampleLine(c, `${name}_bucket`, [['le', '1']], '1'), 'broken-histogram'),
    ok(sampleLine(c, `${name}_bucket`, [['le', '2']], '2'), 'broken-histogram'),
    ok(sampleLine(c, `${name}_sum`, []), 'broken-histogram'),
    ok(sampleLine(c, `${name}_count`, [], '2'), 'broken-histogram'),
  ];
};

/** Lines Prometheus refuses; the bridge skips each and keeps the rest. */
const invalid: Block = (c) => {
  const n = `invalid_${c.pid}`;
  const k = c.ordinal;
  const nth = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;
  return [
    ok(sampleLine(c, n, [['ok', 'yes']]), 'invalid-neighbour'),
    refused(nth(INVALID_LINES, 2 * k)(n), null, 'invalid-line'),
    ok(sampleLine(c, n, [['ok', 'still']]), 'invalid-neighbour'),
    refused(nth(INVALID_LINES, 2 * k + 1)(n), null, 'invalid-line'),
    refused(`${n}{t="bad"} 1 ${nth(INVALID_TIMESTAMPS, k)}`, null, 'invalid-timestamp'),
    refused(`${n}{v="bad"} ${nth(INVALID_VALUES, k)}`, null, 'invalid-value'),
  ];
};

export const BLOCKS: ReadonlyArray<[string, Block]> = [
  ['gauge', gauge],
  ['counter', counter],
  ['colon-names', colonNames],
  ['histogram', histogram],
  ['summary', summary],
  ['untyped', untyped],
  ['escapes', escapes],
  ['special-values', specialValues],
  ['timestamps', timestamps],
  ['braces', braces],
  ['split-family', splitFamily],
  ['metadata', metadata],
  ['comments', comments],
  ['suffix-names', suffixNames],
  ['duplicates', duplicates],
  ['broken-histogram', brokenHistogram],
  ['invalid', invalid],
];

/**
 * Lines the bridge reads though Prometheus 2.42 refuses them: a CR before the LF (Prometheus reads `1\r` as
 * the value, `gauge\r` as the type) and blanks before a sample's name (Prometheus makes them part of the
 * name). Blanks before `#` and CRs at the end of HELP and comment lines Prometheus reads as they are.
 */
function lenient(line: Line, s: Random): Line {
  if (line.prom === 'refused' || line.text.trim() === '') return line;
  const isComment = line.text.trimStart().startsWith('#');
  const isType = /^\s*#[ \t]+TYPE[ \t]/.test(line.text);
  if (chance(s, 0.5)) {
    const text = `${line.text}\r`;
    return isComment && !isType
      ? { ...line, text, ref: text, feature: `${line.feature}+crlf` }
      : refused(text, line.text, `${line.feature}+crlf`);
  }
  if (isComment) return line;
  return refused(`${pick(s, [' ', '\t', '  '])}${line.text}`, line.text, `${line.feature}+leading-blanks`);
}

function makeRound(
  payload: {
    id: string;
    ordinal: number;
    seed: number;
    blocks: string[];
    churn: boolean;
    lenient: boolean;
    trailingNewline: boolean;
  },
  round: 0 | 1,
  opts: CorpusOptions,
): Round {
  const ctx: Ctx = {
    pid: payload.id,
    ordinal: payload.ordinal,
    round,
    shape: mulberry32(payload.seed),
    value: mulberry32(payload.seed * 31 + round + 1),
    churn: payload.churn,
    timestampsBeforeMs: opts.timestampsBeforeMs,
    allow: [],
  };
  let lines: Line[] = [];
  for (const name of payload.blocks) lines.push(...BLOCKS.find(([n]) => n === name)![1](ctx));
  if (payload.lenient) {
    const s = mulberry32(payload.seed + 7);
    lines = lines.map((l) => (chance(s, 0.15) ? lenient(l, s) : l));
  }
  return { lines, trailingNewline: payload.trailingNewline, allow: ctx.allow };
}

/** Payloads whose second round is a body the bridge counts as a failed fetch where Prometheus stores nothing. */
function failingSecondRound(payload: Payload, kind: 'empty' | 'comments'): void {
  if (kind === 'empty')
    payload.rounds[1] = { lines: [], trailingNewline: false, allow: [{ tag: 'empty-body', names: [] }] };
  else
    payload.rounds[1] = {
      lines: [ok('# HELP nothing_here Only metadata.', 'no-samples'), ok('# TYPE nothing_here gauge', 'no-samples')],
      trailingNewline: true,
      allow: [{ tag: 'no-samples-body', names: [] }],
    };
  payload.features.push(`round-2-${kind}`);
}

export function generateCorpus(opts: CorpusOptions): Payload[] {
  const r = mulberry32(opts.seed);
  const payloads: Payload[] = [];
  for (let i = 0; i < opts.payloads; i++) {
    const id = `p${String(i).padStart(2, '0')}`;
    // Every block in at least two payloads (round robin), plus a few drawn at random.
    const blocks = new Set([BLOCKS[i % BLOCKS.length]![0], BLOCKS[(i * 7 + 3) % BLOCKS.length]![0]]);
    for (let k = count(r, 1, 4); k > 0; k--) blocks.add(pick(r, BLOCKS)[0]);
    // A third of the payloads have lines Prometheus refuses, in a different part of the body each time.
    blocks.delete('invalid');
    const list = [...blocks];
    if (i % 3 === 0) list.splice(Math.floor(r() * (list.length + 1)), 0, 'invalid');
    const spec = {
      id,
      ordinal: Math.floor(i / 3),
      seed: Math.floor(r() * 2 ** 31),
      blocks: list,
      churn: chance(r, 0.5),
      lenient: i % 4 === 1,
      trailingNewline: i % 5 !== 2,
    };
    const payload: Payload = {
      id,
      features: [
        ...spec.blocks,
        ...(spec.churn ? ['churn'] : []),
        ...(spec.lenient ? ['lenient'] : []),
        ...(spec.trailingNewline ? [] : ['no-final-newline']),
      ],
      rounds: [makeRound(spec, 0, opts), makeRound(spec, 1, opts)],
    };
    payloads.push(payload);
  }
  failingSecondRound(payloads[opts.payloads - 1]!, 'empty');
  failingSecondRound(payloads[opts.payloads - 2]!, 'comments');
  return payloads;
}
