/**
 * The REQ families: one counter and four histograms per (deployment, status_code, is_async). All five
 * count the same requests, so `baseten_inference_requests_total` equals every histogram's `_count`.
 */
import { BUCKETS, type BucketSet } from './buckets.js';
import { observe, type Shape } from './distributions.js';
import type { RequestStream } from './deployment-traffic.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { FAMILIES, type FamilySpec } from './families.js';
import type { Fleet, SimulatedDeployment } from './fleet.js';
import { elapsedSeconds, eventCount } from './signals.js';

function requestCount(deployment: SimulatedDeployment, stream: RequestStream, atMs: number): number {
  return eventCount(stream.ratePerSecond, elapsedSeconds(deployment.startedAtMs, atMs), stream.phase);
}

function requestHistogram(
  writer: ExpositionWriter,
  fleet: Fleet,
  atMs: number,
  spec: FamilySpec,
  set: BucketSet,
  shapeOf: (stream: RequestStream) => Shape,
  integerUnits: boolean,
): void {
  writer.family(spec);
  for (const deployment of fleet.deployments) {
    for (const stream of deployment.streams) {
      const count = requestCount(deployment, stream, atMs);
      const { buckets, sum } = observe(shapeOf(stream), count, integerUnits);
      writer.histogram(stream.labels, set, buckets, sum, count);
    }
  }
}

export function renderRequestFamilies(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  writer.family(FAMILIES.inferenceRequests);
  for (const deployment of fleet.deployments) {
    for (const stream of deployment.streams) writer.sample(stream.labels, requestCount(deployment, stream, atMs));
  }
  requestHistogram(writer, fleet, atMs, FAMILIES.endToEnd, BUCKETS.latency, (s) => s.endToEnd, false);
  requestHistogram(writer, fleet, atMs, FAMILIES.timeToFirstByte, BUCKETS.latency, (s) => s.timeToFirstByte, false);
  requestHistogram(writer, fleet, atMs, FAMILIES.requestSize, BUCKETS.size, (s) => s.requestSize, true);
  requestHistogram(writer, fleet, atMs, FAMILIES.responseSize, BUCKETS.size, (s) => s.responseSize, true);
}
