/**
 * The async families, present only on deployments that take async requests: queue depth, time in the
 * queue, and the webhook calls that deliver results.
 */
import { BUCKETS } from './buckets.js';
import { observe } from './distributions.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { FAMILIES } from './families.js';
import type { Fleet, SimulatedDeployment } from './fleet.js';
import { hash32 } from './prng.js';
import { elapsedSeconds, eventCount, level } from './signals.js';

/** Almost every dequeued request ends in a webhook call; the rest failed before one. */
const WEBHOOK_SHARE = 0.98;

function dequeued(deployment: SimulatedDeployment, atMs: number): number {
  return eventCount(
    deployment.async?.ratePerSecond ?? 0,
    elapsedSeconds(deployment.startedAtMs, atMs),
    deployment.phase,
  );
}

function webhooks(deployment: SimulatedDeployment, atMs: number): number {
  const rate = (deployment.async?.ratePerSecond ?? 0) * WEBHOOK_SHARE;
  return eventCount(rate, elapsedSeconds(deployment.startedAtMs, atMs), deployment.phase);
}

export function renderAsyncFamilies(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  const asyncDeployments = fleet.deployments.filter((d) => d.async !== undefined);

  writer.family(FAMILIES.asyncQueueSize);
  for (const d of asyncDeployments) {
    // Cubed so the queue is usually short and occasionally backs up.
    writer.sample(d.labels, Math.round((d.async?.maxQueue ?? 0) * level(hash32(d.seed, 11), atMs) ** 3));
  }

  writer.family(FAMILIES.timeInAsyncQueue);
  for (const d of asyncDeployments) {
    if (!d.async) continue;
    const count = dequeued(d, atMs);
    const { buckets, sum } = observe(d.async.queueTime, count, false);
    writer.histogram(d.labels, BUCKETS.queue, buckets, sum, count);
  }

  writer.family(FAMILIES.asyncWebhookRequests);
  for (const d of asyncDeployments) writer.sample(d.labels, webhooks(d, atMs));

  writer.family(FAMILIES.asyncWebhookLatency);
  for (const d of asyncDeployments) {
    if (!d.async) continue;
    const count = webhooks(d, atMs);
    const { buckets, sum } = observe(d.async.webhookLatency, count, false);
    writer.histogram(d.labels, BUCKETS.latency, buckets, sum, count);
  }
}
