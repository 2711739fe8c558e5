/** Resources: GPU, CPU and memory use of each replica, restarts and pod readiness. */
import { BASETEN_DATA_MIN_INTERVAL, buildDashboard } from './dashboard.js';
import { onlyFor, q, timeseries, UNITS } from './panels.js';
import { modelVariables, SEL } from './variables.js';

export function resources() {
  return buildDashboard({
    minInterval: BASETEN_DATA_MIN_INTERVAL,
    uid: 'baseten-resources',
    title: 'Baseten / Resources',
    description:
      'GPU, CPU and memory of Baseten model replicas, restarts and pod readiness, from baseten-metrics-bridge.',
    variables: modelVariables(),
    rows: [
      {
        title: 'GPU',
        panels: [
          timeseries({
            title: 'GPU utilization',
            description: 'Utilization of each GPU of each replica. Baseten exports it already in percent (0–100).',
            unit: UNITS.percent,
            min: 0,
            max: 100,
            noValue: onlyFor('GPU deployments'),
            queries: [
              q(
                `max by (model_name, replica, gpu) (baseten_gpu_utilization{${SEL}})`,
                '{{model_name}} {{replica}} gpu {{gpu}}',
              ),
            ],
          }),
          timeseries({
            title: 'GPU memory used',
            description:
              'Memory used on each GPU of each replica. Baseten exports it in MiB ' +
              '(no unit in the name); LLM servers reserve most of it up front.',
            unit: UNITS.mebibytes,
            min: 0,
            noValue: onlyFor('GPU deployments'),
            queries: [
              q(
                `max by (model_name, replica, gpu) (baseten_gpu_memory_used{${SEL}})`,
                '{{model_name}} {{replica}} gpu {{gpu}}',
              ),
            ],
          }),
        ],
      },
      {
        title: 'CPU and memory',
        panels: [
          timeseries({
            title: 'CPU cores used',
            description: 'CPU time consumed per second by each replica: cores in use.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(
                `sum by (model_name, replica) ` +
                  `(rate(baseten_container_cpu_usage_seconds_total{${SEL}}[$__rate_interval]))`,
                '{{model_name}} {{replica}}',
              ),
            ],
          }),
          timeseries({
            title: 'Working-set memory',
            description: "Working set memory of each replica's container (what the kernel counts against its limit).",
            unit: UNITS.bytes,
            min: 0,
            queries: [
              q(
                `sum by (model_name, replica) (baseten_container_cpu_memory_working_set_bytes{${SEL}})`,
                '{{model_name}} {{replica}}',
              ),
            ],
          }),
        ],
      },
      {
        title: 'Health',
        panels: [
          timeseries({
            title: 'Container restarts (last hour)',
            description:
              'Container restarts per deployment in the hour before each point. ' +
              'Steady restarts mean crashes or out-of-memory kills.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(
                `sum by (model_name, deployment_id) (increase(baseten_container_restarts_total{${SEL}}[1h]))`,
                '{{model_name}} {{deployment_id}}',
              ),
            ],
          }),
          timeseries({
            title: 'Pod readiness',
            description: 'Pods per readiness condition (true, false, unknown), per model.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(`sum by (model_name, condition) (baseten_pod_readiness{${SEL}})`, '{{model_name}} ready={{condition}}'),
            ],
          }),
        ],
      },
    ],
  });
}
