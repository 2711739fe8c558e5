/**
 * The alert options as `rules --alerts=…` flags: their defaults (what the checked-in files use), names and
 * checks.
 */
import { Decoder } from '../decode/index.js';
import { DEFAULT_ENGINE_TTFT_P99_SECONDS, engineTtftP99Problem, engineTtftP99Seconds } from './engine-alerts.js';
import {
  DEFAULT_GPU_MEMORY_FULL_RATIO,
  DEFAULT_GPU_MEMORY_MIB,
  gpuMemoryFullRatioProblem,
  gpuMemoryMibProblem,
} from './gpu-memory.js';
import { DEFAULT_RUNBOOK_BASE_URL, runbookBaseProblem } from './runbook.js';
import { bridgeSelectorProblem, DEFAULT_BRIDGE_SELECTOR } from './bridge-selector.js';
import { num } from './promql.js';
import type { AlertOptions } from './alert-options.js';

export const DEFAULT_ALERT_OPTIONS: Readonly<AlertOptions> = {
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
  gpuMemoryMib: DEFAULT_GPU_MEMORY_MIB,
  gpuMemoryFullRatio: DEFAULT_GPU_MEMORY_FULL_RATIO,
  engineTtftP99Seconds: DEFAULT_ENGINE_TTFT_P99_SECONDS,
  bridgeSelector: DEFAULT_BRIDGE_SELECTOR,
};

/** Each option's flag, in the order a command line shows them, and how a value is written in it (as is by default). */
const FLAGS: ReadonlyArray<[keyof AlertOptions, string, ((value: number) => string)?]> = [
  ['gpuMemoryMib', 'gpu.memory-mib'],
  ['gpuMemoryFullRatio', 'gpu.memory-full-ratio'],
  ['engineTtftP99Seconds', 'engine.ttft-p99', (seconds) => `${num(seconds)}s`],
  ['bridgeSelector', 'bridge.selector'],
  ['runbookBaseUrl', 'runbook.base-url'],
];

/**
 * `--flag=value` for every option that differs from its default: what reproduces a generated file, as a shell
 * reads it.
 */
export function nonDefaultFlags(options: AlertOptions): string[] {
  return FLAGS.filter(([key]) => options[key] !== DEFAULT_ALERT_OPTIONS[key]).map(([key, flag, write]) => {
    const value = options[key];
    return `--${flag}=${shellWord(write && typeof value === 'number' ? write(value) : String(value))}`;
  });
}

/** A value as one shell word: as it is when plain, else in single quotes (a selector holds `"`). */
function shellWord(value: string): string {
  return /^[\w.:/=+%-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Each option's check, in the order they are reported: why a flag's text cannot be it (to follow `"value" `),
 * and the value it means.
 */
const CHECKS: {
  [K in keyof AlertOptions]: {
    problem: (text: string) => string | undefined;
    value: (text: string) => AlertOptions[K];
  };
} = {
  runbookBaseUrl: { problem: runbookBaseProblem, value: (text) => text },
  gpuMemoryMib: { problem: gpuMemoryMibProblem, value: Number },
  gpuMemoryFullRatio: { problem: gpuMemoryFullRatioProblem, value: Number },
  engineTtftP99Seconds: { problem: engineTtftP99Problem, value: engineTtftP99Seconds },
  bridgeSelector: { problem: bridgeSelectorProblem, value: (text) => text },
};

/**
 * The options given as flags (`texts`: option → the flag's text), read over nothing: only the options given.
 * Every problem reads `--flag: "value" what is wrong (the fix)`.
 */
export function decodeAlertOptions(
  texts: Partial<Record<keyof AlertOptions, string>>,
  problems: string[],
): Partial<AlertOptions> {
  const options: Partial<AlertOptions> = {};
  for (const key of Object.keys(CHECKS) as Array<keyof AlertOptions>) {
    const text = texts[key];
    const flag = FLAGS.find(([k]) => k === key)![1];
    if (text === undefined) continue;
    const problem = CHECKS[key].problem(text);
    if (problem) new Decoder(text, `--${flag}`, problems).problem(`"${text}" ${problem}`);
    else (options as Record<string, unknown>)[key] = CHECKS[key].value(text);
  }
  return options;
}
