/** The parameters of the shipped alerts (`rules --alerts=…` flags), with the defaults the checked-in files use. */
import { DEFAULT_GPU_MEMORY_FULL_RATIO, DEFAULT_GPU_MEMORY_MIB } from './gpu-memory.js';
import { DEFAULT_RUNBOOK_BASE_URL } from './runbook.js';

export interface AlertOptions {
  /** The page whose `### <AlertName>` headings are the runbooks (`--runbook.base-url`). */
  runbookBaseUrl: string;
  /** The GPUs' memory in MiB (`--gpu.memory-mib`): Baseten exports the memory used, never the total. */
  gpuMemoryMib: number;
  /** The share of it above which BasetenGpuMemoryNearFull fires (`--gpu.memory-full-ratio`). */
  gpuMemoryFullRatio: number;
}

export const DEFAULT_ALERT_OPTIONS: Readonly<AlertOptions> = {
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
  gpuMemoryMib: DEFAULT_GPU_MEMORY_MIB,
  gpuMemoryFullRatio: DEFAULT_GPU_MEMORY_FULL_RATIO,
};

/** Each option's flag, in the order a command line shows them. */
const FLAGS: ReadonlyArray<[keyof AlertOptions, string]> = [
  ['gpuMemoryMib', 'gpu.memory-mib'],
  ['gpuMemoryFullRatio', 'gpu.memory-full-ratio'],
  ['runbookBaseUrl', 'runbook.base-url'],
];

/** `--flag=value` for every option that differs from its default: what reproduces a generated file. */
export function nonDefaultFlags(options: AlertOptions): string[] {
  return FLAGS.filter(([key]) => options[key] !== DEFAULT_ALERT_OPTIONS[key]).map(([key, flag]) => `--${flag}=${options[key]}`);
}
