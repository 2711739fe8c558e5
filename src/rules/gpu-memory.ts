/**
 * BasetenGpuMemoryNearFull. Baseten exports `baseten_gpu_memory_used` in MiB and no GPU total (BASETEN.md), so
 * "near full" cannot be a ratio of the data: it is a number of MiB, generated from the GPU's memory and a share
 * of it (`--gpu.memory-mib`, `--gpu.memory-full-ratio`).
 */
import type { AlertOptions } from './alert-options.js';
import { num } from './promql.js';
import { withRunbook } from './runbook.js';
import type { AlertingRule } from './render.js';

/** 80 GiB: what nvidia-smi shows for an 80 GB A100 (an 80 GB H100 shows 81559 MiB), Baseten's largest cards. */
export const DEFAULT_GPU_MEMORY_MIB = 81920;
/** 95 %: LLM servers reserve ~90 % up front (vLLM's default), so less would fire on every healthy one. */
export const DEFAULT_GPU_MEMORY_FULL_RATIO = 0.95;

const ALERT = 'BasetenGpuMemoryNearFull';

/** Why `value` cannot be `--gpu.memory-mib` (to follow `"value" `), or undefined when it can. */
export function gpuMemoryMibProblem(value: string): string | undefined {
  return /^[1-9]\d*$/.test(value)
    ? undefined
    : 'is not a whole number of MiB (the GPU memory nvidia-smi shows: 81920 for an 80 GB A100)';
}

/** Why `value` cannot be `--gpu.memory-full-ratio`, or undefined when it can. 1 or more could never fire. */
export function gpuMemoryFullRatioProblem(value: string): string | undefined {
  const ratio = /^\d*\.?\d+$/.test(value) ? Number(value) : NaN;
  return ratio > 0 && ratio < 1 ? undefined : 'is not a ratio between 0 and 1 (0.95 is 95 %)';
}

/** The alert's threshold in whole MiB (rounded: 0.95 × 81920 is 77824, not 77823.99…). */
export function gpuMemoryThresholdMib(options: Pick<AlertOptions, 'gpuMemoryMib' | 'gpuMemoryFullRatio'>): number {
  return Math.round(options.gpuMemoryMib * options.gpuMemoryFullRatio);
}

export function gpuMemoryAlert(options: AlertOptions): AlertingRule {
  const threshold = gpuMemoryThresholdMib(options);
  const share = `${num(options.gpuMemoryFullRatio * 100)}% of ${options.gpuMemoryMib} MiB`;
  return withRunbook(options.runbookBaseUrl, {
    alert: ALERT,
    comment: [
      `baseten_gpu_memory_used is in MiB, and Baseten does not export the GPU's size: ${threshold} MiB is`,
      `${share} (--gpu.memory-mib, --gpu.memory-full-ratio). For other cards generate this file`,
      'again, e.g. with --gpu.memory-mib=23028 for the 24 GB A10G (docs/DASHBOARDS.md, "Alert parameters").',
    ].join('\n'),
    expr:
      `max by (model_id, model_name, deployment_id, environment, replica, ` +
      `gpu) (baseten_gpu_memory_used) > ${threshold}`,
    for: '15m',
    labels: { severity: 'warning' },
    annotations: {
      threshold: `${threshold} MiB`,
      summary:
        '{{ $labels.model_name }} ({{ $labels.environment }}): GPU {{ ' +
        '$labels.gpu }} of {{ $labels.replica }} uses {{ $value }} MiB',
      description:
        `GPU {{ $labels.gpu }} of replica {{ $labels.replica }} has used more ` +
        `than ${threshold} MiB (${share}) for 15 minutes: the next large batch ` +
        `or context may run out of memory.`,
    },
  });
}
