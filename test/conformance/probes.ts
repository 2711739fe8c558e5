/**
 * One tiny body per line the generator says Prometheus refuses, scraped directly: each must fail its scrape
 * on its own, so the corpus's verdicts are Prometheus's, line by line, not only payload by payload (where
 * one refused line hides whether the others are).
 */
import { INVALID_LINES, INVALID_TIMESTAMPS, INVALID_VALUES } from './spellings.js';

export interface Probe {
  /** `q07`: its path and job. */
  id: string;
  line: string;
  body: string;
}

const NAME = 'probe_metric';

export function refusedLineProbes(): Probe[] {
  const lines = [
    ...INVALID_LINES.map((make) => make(NAME)),
    ...INVALID_TIMESTAMPS.map((ts) => `${NAME}{t="bad"} 1 ${ts}`),
    ...INVALID_VALUES.map((v) => `${NAME}{v="bad"} ${v}`),
    // What the bridge reads but Prometheus 2.42 does not (generator.ts lenient()).
    `${NAME} 1\r`,
    `${NAME}{a="b"} 1 1700000000000\r`,
    `# TYPE ${NAME} gauge\r`,
    `# TYPE ${NAME}  gauge`,
    ` ${NAME} 1`,
    `\t${NAME}{a="b"} 1`,
  ];
  return lines.map((line, i) => ({ id: `q${String(i).padStart(2, '0')}`, line, body: `probe_ok 1\n${line}\n` }));
}
