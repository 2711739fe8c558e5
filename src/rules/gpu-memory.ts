/**
 * BasetenGpuMemoryNearFull. Baseten exports `baseten_gpu_memory_used` in MiB and no GPU total (BASETEN.md), so
 * "near full" cannot be a ratio of the data: it is a number of MiB.
 */
import type { AlertOptions } from './alert-options.js';
import { withRunbook } from './runbook.js';
import type { AlertingRule } from './slo-rules.js';

const ALERT = 'BasetenGpuMemoryNearFull';

export function gpuMemoryAlert(options: AlertOptions): AlertingRule {
  const threshold = 78000;
  return withRunbook(options.runbookBaseUrl, {
    alert: ALERT,
    comment: [
      "baseten_gpu_memory_used is in MiB, and Baseten does not export the GPU's size: 78000 MiB is 95% of an",
      '80 GB H100/A100 (81559/81920 MiB). For 24 GB cards (A10G, L4: ~23000 MiB) use 21800.',
    ].join('\n'),
    expr: `max by (model_id, model_name, deployment_id, environment, replica, gpu) (baseten_gpu_memory_used) > ${threshold}`,
    for: '15m',
    labels: { severity: 'warning' },
    annotations: {
      threshold: `${threshold} MiB`,
      summary: '{{ $labels.model_name }} ({{ $labels.environment }}): GPU {{ $labels.gpu }} of {{ $labels.replica }} uses {{ $value }} MiB',
      description: `GPU {{ $labels.gpu }} of replica {{ $labels.replica }} has used more than ${threshold} MiB for 15 minutes: the next large batch or context may run out of memory.`,
    },
  });
}
