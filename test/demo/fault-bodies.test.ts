import { describe, expect, it } from 'vitest';
import {
  DAMAGE_EVERY,
  duplicateSeries,
  invalidUtf8,
  malformLines,
  stripHelpType,
} from '../../src/demo/fault-bodies.js';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { CREATED_AT, T_EVEN_MINUTE } from './fixtures.js';
import { parseSampleLine } from './parse-text.js';

const HEALTHY = renderBasetenMetrics(buildFleet({ deployments: 2, seed: 1, createdAtMs: CREATED_AT }), T_EVEN_MINUTE);
const samples = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
const comments = (text: string): string[] => text.split('\n').filter((line) => line.startsWith('#'));
const N = samples(HEALTHY).length;

function unparsable(lines: string[]): string[] {
  return lines.filter((line) => {
    try {
      parseSampleLine(line);
      return false;
    } catch {
      return true;
    }
  });
}

describe('malformLines', () => {
  it.each([0, 0.01, 0.1, 1 / 3, 0.5, 0.99, 1])('ratio %s garbles exactly floor(n × ratio) sample lines', (ratio) => {
    const text = malformLines(HEALTHY, ratio);
    expect(samples(text)).toHaveLength(N);
    expect(unparsable(samples(text))).toHaveLength(Math.floor(N * ratio));
    expect(comments(text)).toEqual(comments(HEALTHY));
    expect(malformLines(HEALTHY, ratio)).toBe(text);
  });

  it('uses every kind of garbage: missing value, unterminated quote, bad label name, non-numeric value', () => {
    const garbage = samples(malformLines(HEALTHY, 1)).slice(0, 4);
    expect(garbage[0]).toMatch(/\}$/);
    expect(garbage[1]).toMatch(/^\w+\{\w+="[^"]* 1$/);
    expect(garbage[2]).toMatch(/^\w+\{bad-label="x",/);
    expect(garbage[3]).toMatch(/ twelve$/);
  });
});

describe('invalidUtf8', () => {
  it(`damages one sample line in ${DAMAGE_EVERY}, inside its first label value`, () => {
    const body = invalidUtf8(HEALTHY);
    const decoded = new TextDecoder('utf-8').decode(body);
    const damaged = decoded.split('\n').filter((line) => line.includes('\uFFFD'));
    expect(damaged).toHaveLength(Math.ceil(N / DAMAGE_EVERY));
    // Engine families' names carry a colon (`vllm:num_requests_running`).
    for (const line of damaged) expect(line).toMatch(/^[\w:]+\{\w+="\uFFFD/);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(body)).toThrow(TypeError);
  });
});

describe('duplicateSeries', () => {
  it(`repeats one sample line in ${DAMAGE_EVERY} right after itself`, () => {
    const text = duplicateSeries(HEALTHY);
    expect(samples(text)).toHaveLength(N + Math.ceil(N / DAMAGE_EVERY));
    expect(new Set(samples(text))).toEqual(new Set(samples(HEALTHY)));
  });
});

describe('stripHelpType', () => {
  it('keeps the sample lines and nothing else', () => {
    expect(stripHelpType(HEALTHY)).toBe(`${samples(HEALTHY).join('\n')}\n`);
  });
});
