/**
 * Switches the simulator's fault at run time. The fault itself takes effect synchronously, for every
 * request handled after `set` is called; what may take time is the listening socket, which `refuse`
 * closes and clearing `refuse` re-opens on the same port. Transitions run one at a time, in call order.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActiveFault } from './fault-hook.js';
import { faultProblems, type Fault } from './faults.js';
import { buildFleet, type Fleet } from './fleet.js';
import type { OpenResponses } from './open-responses.js';

/** The fleet a `scale` fault renders: `factor` times the deployments, the first ones identical to `fleet`'s. */
export function scaledFleet(fleet: Fleet, factor: number): Fleet {
  const deployments = Math.round(fleet.deployments.length * factor);
  return buildFleet({
    deployments,
    seed: fleet.seed,
    createdAtMs: fleet.createdAtMs,
    engineLabels: fleet.engineLabels,
  });
}

export class FaultSwitch {
  private active: ActiveFault | undefined;
  private transition: Promise<void> = Promise.resolve();
  private closed = false;
  /** The port to listen on again after `refuse`: the one it closed. */
  private port = 0;

  /** `server` is listened on by the caller first; `host` is the address it listens on. */
  constructor(
    private readonly server: Server,
    private readonly host: string,
    private readonly fleet: Fleet,
    private readonly open: OpenResponses,
  ) {}

  /** The fault the hook applies now. */
  readonly current = (): ActiveFault | undefined => this.active;

  /**
   * Sets the fault (undefined: healthy). Rejects, leaving the fault as it was, when the fault is invalid
   * or the simulator is closed; rejects after the switch when the port cannot be listened on again.
   */
  async set(fault: Fault | undefined): Promise<void> {
    if (this.closed) throw new Error('demo: setFault after close()');
    if (fault !== undefined) {
      const problems = faultProblems(fault);
      if (problems.length > 0) throw new Error(`demo: invalid fault: ${problems.join('; ')}`);
    }
    this.active =
      fault === undefined
        ? undefined
        : { fault, fleet: fault.kind === 'scale' ? scaledFleet(this.fleet, fault.factor) : this.fleet };
    const refuse = fault?.kind === 'refuse';
    return this.enqueue(() => (refuse ? this.unlisten() : this.listen()));
  }

  /** Ends every open fault response and stops listening, after any transition in progress. */
  async close(): Promise<void> {
    this.closed = true;
    await this.enqueue(async () => {
      this.open.stopAll();
      await this.unlisten();
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    // A failed transition must not block the ones after it; its caller already got the rejection.
    const next = this.transition.catch(() => undefined).then(step);
    this.transition = next;
    return next;
  }

  /** Stops accepting, and destroys every connection (keep-alive ones included) so clients see ECONNREFUSED. */
  private unlisten(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    this.port = (this.server.address() as AddressInfo).port;
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private listen(): Promise<void> {
    if (this.server.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void =>
        reject(new Error(`demo: cannot listen again on port ${this.port}`, { cause: err }));
      this.server.once('error', onError);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }
}
