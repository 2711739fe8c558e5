/**
 * What a hostile upstream sends, one body per fetch: edge cases Prometheus reads (first, so the bridge's
 * next cycle can try a warm replay of them), the same series re-spelled with values and timestamps
 * Prometheus refuses, an OpenMetrics body of every type with timestamps text cannot carry, then garbage.
 */

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export interface HostileBody {
  what: string;
  contentType: string;
  body: Buffer;
}

const text = (what: string, lines: string[]): HostileBody => ({
  what,
  contentType: TEXT,
  body: Buffer.from(`${lines.join('\n')}\n`),
});

/** Families the healthy target serves: the hostile one gives them other types. */
export const HEALTHY_BODY = [
  '# HELP shared_family Requests.',
  '# TYPE shared_family counter',
  'shared_family{code="200"} 10',
  '# TYPE healthy_latency_seconds histogram',
  'healthy_latency_seconds_bucket{le="0.1"} 1',
  'healthy_latency_seconds_bucket{le="+Inf"} 2',
  'healthy_latency_seconds_sum 0.3',
  'healthy_latency_seconds_count 2',
  'healthy_up 1',
  '',
].join('\n');

export const HEALTHY_SERIES = 6;

/** Read by Prometheus line for line: a clean cycle, after which the bridge replays warm. */
const edgy = (what: string, v: { zero: string; nan: string; ts: string; big: string }) =>
  text(what, [
    '# TYPE shared_family gauge',
    'shared_family{code="500"} 1',
    '# TYPE healthy_latency_seconds gauge',
    'healthy_latency_seconds 3',
    'healthy_latency_seconds_bucket{le="1"} 5',
    `hostile_zero ${v.zero}`,
    `hostile_nan{a="b"} ${v.nan}`,
    `hostile_ts 1 ${v.ts}`,
    `hostile_big ${v.big}`,
    'hostile_escape{a="\\t\\u00e9\\x00\\\\"} 1',
    'hostile_nul{a="nul\u0000inside"} 1',
    'hostile_cr{a="cr\rinside"} 1',
    'hostile_glued-1',
    'hostile_nocomma{a="1" b="2"} 1',
    `hostile_long{a="${'x'.repeat(20_000)}"} 1`,
    ': 1',
    'hostile_dup 1',
    'hostile_dup 2',
    '# TYPE hostile_twice counter',
    '# TYPE hostile_twice gauge',
    'hostile_twice 1',
    '# TYPE hostile_twice summary',
    '# HELP hostile_help with \\\\ and \\n and \\t and "quotes" and a trailing backslash \\',
    'hostile_help 1',
    '# EOF',
    'after_eof 1',
  ]);

export const HOSTILE_BODIES: readonly HostileBody[] = [
  edgy('edge cases Prometheus reads', { zero: '-0', nan: 'nan', ts: '1700000000000', big: '18446744073709551617' }),
  // The same series: a warm replay copies value bytes, so each must be one Prometheus reads.
  edgy('the same series, values and a timestamp Prometheus refuses', {
    zero: '-0.0',
    nan: '0x1p3',
    ts: '+1796157786139',
    big: '1e400',
  }),
  {
    what: 'OpenMetrics of every type, timestamps before 1970 and past int64',
    contentType: OPENMETRICS,
    body: Buffer.from(
      [
        '# TYPE om_counter counter',
        'om_counter_total{a="b"} 1 # {trace_id="x"} 0.5 1700000000.5',
        'om_counter_created 1700000000',
        '# TYPE om_info info',
        'om_info_info{version="1"} 1',
        '# TYPE om_state stateset',
        'om_state{om_state="a"} 1',
        'om_state{om_state="b"} 0',
        '# TYPE om_gh gaugehistogram',
        'om_gh_bucket{le="+Inf"} 1',
        'om_gh_gcount 1',
        'om_gh_gsum 1',
        '# TYPE om_seconds gauge',
        '# UNIT om_seconds seconds',
        'om_seconds 1 -1.5',
        'om_seconds{x="y"} 1 1e300',
        'om_seconds{x="z"} -0 1700000000.001',
        '# TYPE shared_family unknown',
        'shared_family{code="om"} 1',
        '# EOF',
        '',
      ].join('\n'),
    ),
  },
  {
    what: 'invalid UTF-8, NULs and HTML',
    contentType: TEXT,
    body: Buffer.concat([Buffer.from('<html>\u0000'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(' 1\n')]),
  },
  text('lines of garbage between good ones', [
    '\ufeffbom_metric 1',
    'good_after_garbage 1',
    'before_1970 1 -1000',
    'past_int64 1 9223372036854775808',
    '{}}}{{{ 1',
    '\u0000 x',
    'good_after_garbage{a="2"} 2',
    '# TYPE',
    'x{a="\\"} 1',
  ]),
];
