/**
 * The traffic of one simulated deployment, drawn once when the fleet is built: request streams (one per
 * status_code × is_async label set), and the LLM and async parameters derived from them.
 */
import { BUCKETS } from './buckets.js';
import { logNormal, logNormalMixture, unitRatio, type Shape } from './distributions.js';
import { labelPairs } from './exposition-writer.js';
import type { ModelProfile } from './model-catalog.js';
import { between, hash32, type Random } from './prng.js';
import { phaseOf } from './signals.js';

export interface RequestStream {
  statusCode: string;
  isAsync: boolean;
  /** Pre-rendered standard labels plus status_code and is_async. */
  labels: string;
  ratePerSecond: number;
  phase: number;
  endToEnd: Shape;
  timeToFirstByte: Shape;
  requestSize: Shape;
  responseSize: Shape;
}

/** A log-normal as drawn, so that another bucket set (a serving engine's) can shape the same observations. */
export interface LogNormalParams {
  median: number;
  sigma: number;
}

export interface LlmTraffic {
  /** Requests per second reaching each pod. */
  podRatePerSecond: number;
  inputTokens: Shape;
  outputTokens: Shape;
  tokensPerSecond: Shape;
  drawn: { inputTokens: LogNormalParams; outputTokens: LogNormalParams; tokensPerSecond: LogNormalParams };
  kvCacheHitRate: Shape;
  /** Draft tokens proposed per output token, and the share of them accepted. */
  draftPerOutputToken: number;
  acceptance: number;
  maxBatch: number;
}

export interface AsyncTraffic {
  ratePerSecond: number;
  queueTime: Shape;
  webhookLatency: Shape;
  maxQueue: number;
}

interface StreamDraft {
  statusCode: string;
  isAsync: boolean;
  share: number;
}

/**
 * Which label sets a deployment has: 200 always; 4xx/5xx on some; async ones on async models. The organization is
 * healthy: 5xx stay under 0.2 % and 429s under 1 % of a deployment's requests, inside the example SLO file's
 * 99.5 % and far from the model alerts' 5 % (test/e2e/healthy-demo-alerts.test.ts holds every shipped rule quiet).
 */
function draftStreams(random: Random, profile: ModelProfile): StreamDraft[] {
  const drafts: StreamDraft[] = [{ statusCode: '200', isAsync: false, share: 1 }];
  if (random() < 0.5) drafts.push({ statusCode: '400', isAsync: false, share: between(random, 0.005, 0.03) });
  if (random() < 0.5) drafts.push({ statusCode: '429', isAsync: false, share: between(random, 0.002, 0.01) });
  if (random() < 0.5) drafts.push({ statusCode: '500', isAsync: false, share: between(random, 0.0005, 0.002) });
  if (profile.async) {
    drafts.push({ statusCode: '200', isAsync: true, share: between(random, 0.3, 0.8) });
    if (random() < 0.5) drafts.push({ statusCode: '500', isAsync: true, share: 0.001 });
  }
  return drafts;
}

/** Latency and size shapes by outcome: errors are fast and small, successes look like the model. */
type StreamShapes = Pick<RequestStream, 'endToEnd' | 'timeToFirstByte' | 'requestSize' | 'responseSize'>;

function streamShapes(draft: StreamDraft, profile: ModelProfile): StreamShapes {
  const latency = (median: number, sigma: number): Shape => logNormal(BUCKETS.latency.bounds, median, sigma);
  const size = (median: number, sigma: number): Shape => logNormal(BUCKETS.size.bounds, median, sigma);
  const requestSize = size(profile.requestBytes, 0.8);
  switch (draft.statusCode) {
    case '400':
      return {
        endToEnd: latency(0.015, 0.5),
        timeToFirstByte: latency(0.012, 0.5),
        requestSize,
        responseSize: size(250, 0.3),
      };
    case '429':
      return {
        endToEnd: latency(0.004, 0.4),
        timeToFirstByte: latency(0.003, 0.4),
        requestSize,
        responseSize: size(120, 0.1),
      };
    default: {
      const slowdown = (draft.statusCode === '500' ? 1.3 : 1) * (draft.isAsync ? 1.5 : 1);
      const endToEnd = logNormalMixture(BUCKETS.latency.bounds, [
        { weight: 0.995, median: profile.e2eSeconds * slowdown, sigma: 0.5 },
        // Cold starts: a thin tail of requests that waited for a replica to boot.
        { weight: 0.005, median: 25, sigma: 0.4 },
      ]);
      const responseSize = draft.statusCode === '500' ? size(180, 0.2) : size(profile.responseBytes, 0.7);
      return { endToEnd, timeToFirstByte: latency(profile.ttfbSeconds * slowdown, 0.5), requestSize, responseSize };
    }
  }
}

/** Draws the request streams of a deployment whose successful sync traffic is `baseRate` per second. */
export function buildStreams(
  random: Random,
  seed: number,
  profile: ModelProfile,
  stdLabels: string,
  baseRate: number,
): RequestStream[] {
  return draftStreams(random, profile).map((draft, index) => ({
    statusCode: draft.statusCode,
    isAsync: draft.isAsync,
    labels: `${stdLabels},${labelPairs([
      ['status_code', draft.statusCode],
      ['is_async', String(draft.isAsync)],
    ])}`,
    ratePerSecond: baseRate * draft.share,
    phase: phaseOf(hash32(seed, 100 + index)),
    ...streamShapes(draft, profile),
  }));
}

/** LLM engine parameters; pods share the deployment's successful requests evenly. */
export function buildLlmTraffic(random: Random, streams: readonly RequestStream[], pods: number): LlmTraffic {
  const served = streams.filter((s) => s.statusCode === '200').reduce((acc, s) => acc + s.ratePerSecond, 0);
  const drawn = {
    inputTokens: { median: between(random, 300, 2_000), sigma: 1.1 },
    outputTokens: { median: between(random, 120, 600), sigma: 0.9 },
    tokensPerSecond: { median: between(random, 35, 110), sigma: 0.35 },
  };
  return {
    podRatePerSecond: served / Math.max(1, pods),
    inputTokens: logNormal(BUCKETS.tokens.bounds, drawn.inputTokens.median, drawn.inputTokens.sigma),
    outputTokens: logNormal(BUCKETS.tokens.bounds, drawn.outputTokens.median, drawn.outputTokens.sigma),
    tokensPerSecond: logNormal(
      BUCKETS.tokensPerSecond.bounds,
      drawn.tokensPerSecond.median,
      drawn.tokensPerSecond.sigma,
    ),
    drawn,
    kvCacheHitRate: unitRatio(BUCKETS.ratio.bounds, between(random, 0.15, 0.45), between(random, 0.4, 0.8), 0.25),
    draftPerOutputToken: between(random, 1.2, 1.8),
    acceptance: between(random, 0.5, 0.75),
    maxBatch: Math.round(between(random, 16, 128)),
  };
}

/** Async queue parameters, fed by the deployment's async streams. */
export function buildAsyncTraffic(random: Random, streams: readonly RequestStream[]): AsyncTraffic {
  return {
    ratePerSecond: streams.filter((s) => s.isAsync).reduce((acc, s) => acc + s.ratePerSecond, 0),
    queueTime: logNormal(BUCKETS.queue.bounds, between(random, 0.5, 8), 1.4),
    webhookLatency: logNormal(BUCKETS.latency.bounds, between(random, 0.05, 0.3), 0.6),
    maxQueue: Math.round(between(random, 5, 200)),
  };
}
