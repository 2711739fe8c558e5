/**
 * Starts the simulated Baseten metrics endpoint on a loopback port: the upstream of `baseten-bridge demo`
 * and of every test that needs one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isWellFormedApiKey } from './api-key.js';
import { createFaultHook } from './fault-hook.js';
import { FaultSwitch } from './fault-switch.js';
import { faultProblems, type Fault } from './faults.js';
import { buildFleet, type Fleet } from './fleet.js';
import { createRequestHandler, METRICS_PATH, type SimulatorRequest } from './handler.js';
import { OpenResponses } from './open-responses.js';
import { RollingRateWindow } from './rate-window.js';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** The organization's key, `<prefix>.<secret>`; sent as `Api-Key <key>` or `Bearer <key>`. */
  apiKey: string;
  /** Default 6, Baseten's documented limit; see rate-window.ts for what counts. */
  rateLimitPerMinute?: number;
  /** When set, 429 responses carry `Retry-After: <seconds>` (Baseten does not document one). */
  retryAfterSeconds?: number;
  /** Default 6. The payload scales with it: about 250 series per deployment. */
  deployments?: number;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
  /** Default 1. Same seed, same deployments, same clock: byte-identical bodies. */
  seed?: number;
  /** Default true: engine series carry the engine's own labels too (FleetOptions.engineLabels). */
  engineLabels?: boolean;
  /** A fault in force from the first request (see setFault). Default: healthy. */
  fault?: Fault;
}

export interface RunningSimulator {
  /** `http://HOST:PORT/metrics` */
  url: string;
  /** Every request received, in arrival order; with the fault that shaped it, if any (fault-hook.ts). */
  requests: SimulatorRequest[];
  /** The simulated organization, for callers that want to describe or check it. */
  fleet: Fleet;
  /**
   * Switches to a fault (undefined: healthy) for every request handled from this call on. The promise
   * settles once the listening socket matches: for `refuse`, closed and every connection destroyed;
   * when leaving `refuse`, listening again on the same port. Await it for every kind. Rejects (and
   * changes nothing) on an invalid fault or after close(). Responses a fault already holds open (hang,
   * trickle, endless) carry on until their client leaves or close().
   */
  setFault(fault: Fault | undefined): Promise<void>;
  /** Resolves once no fault response (hang, reset-mid-body, trickle, endless) is still open. */
  settled(): Promise<void>;
  /** Ends every open response and connection and stops listening. */
  close(): Promise<void>;
}

export const DEFAULT_DEPLOYMENTS = 6;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6;

function validate(opts: SimulatorOptions): void {
  const problems: string[] = [];
  if (!isWellFormedApiKey(opts.apiKey)) problems.push('apiKey must look like <prefix>.<secret>');
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535)) {
    problems.push(`port must be an integer in 0..65535 (got ${String(opts.port)})`);
  }
  if (
    opts.retryAfterSeconds !== undefined &&
    (!Number.isInteger(opts.retryAfterSeconds) || opts.retryAfterSeconds < 0)
  ) {
    problems.push(`retryAfterSeconds must be a non-negative integer (got ${String(opts.retryAfterSeconds)})`);
  }
  if (opts.fault !== undefined) problems.push(...faultProblems(opts.fault).map((problem) => `fault: ${problem}`));
  if (problems.length > 0) throw new Error(`demo: invalid simulator options: ${problems.join('; ')}`);
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  validate(opts);
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  const fleet = buildFleet({
    deployments: opts.deployments ?? DEFAULT_DEPLOYMENTS,
    seed: opts.seed ?? 1,
    createdAtMs: now(),
    engineLabels: opts.engineLabels,
  });
  const requests: SimulatorRequest[] = [];
  const rateWindow = new RollingRateWindow(opts.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE);
  const open = new OpenResponses();
  const server = createServer();
  const faults = new FaultSwitch(server, host, fleet, open);
  const faultHook = createFaultHook(faults.current, open);
  server.on(
    'request',
    createRequestHandler({
      fleet,
      apiKey: opts.apiKey,
      rateWindow,
      now,
      retryAfterSeconds: opts.retryAfterSeconds,
      requests,
      faultHook,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Listening first even for `refuse`: a port-0 simulator learns its port only by binding it.
  if (opts.fault !== undefined) await faults.set(opts.fault);

  return {
    url: `http://${urlHost(host)}:${port}${METRICS_PATH}`,
    requests,
    fleet,
    setFault: (fault) => faults.set(fault),
    settled: () => open.settled(),
    // Destroys keep-alive connections too: they would otherwise hold close() open until they time out.
    close: () => faults.close(),
  };
}
