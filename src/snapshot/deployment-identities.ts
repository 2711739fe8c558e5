/**
 * The builder's table of deployments and their Baseten identity (relabel/engine-identity.ts), kept across
 * cycles so that attaching it costs what changed. Each cycle, the first platform series of a deployment in
 * the body states its identity (its entry holds the statement, so a cache hit states it for free), and each
 * engine line counts itself to its deployment. Once the body is read, `settle` compares each deployment's
 * identity with the one its engine series were last settled with (a reference comparison: identities are
 * interned): only the engine series of a deployment whose identity changed are decided again, and only the
 * engine series new since the last settle are looked at one by one. A deployment no platform series stated
 * this cycle has none: its engine series are served as they came, and counted.
 */
import type { DeploymentIdentity } from '../relabel/index.js';

/** No identity: a deployment without a platform series in the body (compared by reference). */
export const NO_IDENTITY: DeploymentIdentity = Object.freeze({ model_id: '', model_name: '' });

/** One deployment as the builder knows it across cycles. */
export class DeploymentSlot {
  /** The last cycle a platform series stated its identity, and that identity. */
  stated = -1;
  identity: DeploymentIdentity = NO_IDENTITY;
  /** The last cycle a line referred to it: one that none did goes with the entries that did. */
  touched = -1;
  /** It was in the table last handed out (DeploymentIdentities.identities). */
  listed = false;
  /** The identity its engine series were last settled with: every cached one seen since was decided with it. */
  settled: DeploymentIdentity = NO_IDENTITY;
  /** Its engine lines in cycle `linesCycle`. */
  lines = 0;
  linesCycle = -1;

  constructor(readonly id: string) {}

  /** The identity its engine series get in `cycle`. */
  current(cycle: number): DeploymentIdentity {
    return this.stated === cycle ? this.identity : NO_IDENTITY;
  }
}

export class DeploymentIdentities {
  private readonly slots = new Map<string, DeploymentSlot>();
  private readonly interned = new Map<string, DeploymentIdentity>();
  /** An identity changed since the table was last handed out (identities()). */
  private changed = false;

  slot(id: string): DeploymentSlot {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = new DeploymentSlot(id);
      this.slots.set(id, slot);
    }
    return slot;
  }

  /** The one object for an identity's values, so that entries compare identities by reference. */
  intern(identity: DeploymentIdentity): DeploymentIdentity {
    const key = `${identity.model_id}\u0000${identity.model_name}\u0000${identity.environment ?? '\u0001'}`;
    let held = this.interned.get(key);
    if (held === undefined) {
      held = Object.freeze({ ...identity });
      this.interned.set(key, held);
    }
    return held;
  }

  /** A platform series of `slot` stating `identity` was read in `cycle`: the first of the cycle wins. */
  stated(slot: DeploymentSlot, identity: DeploymentIdentity, cycle: number): void {
    if (slot.stated === cycle) return;
    slot.stated = cycle;
    slot.touched = cycle;
    if (slot.identity !== identity) this.changed = true;
    slot.identity = identity;
  }

  /** An engine line of `slot` was read in `cycle`. */
  engineLine(slot: DeploymentSlot, cycle: number): void {
    if (slot.linesCycle !== cycle) {
      slot.linesCycle = cycle;
      slot.lines = 0;
      slot.touched = cycle;
    }
    slot.lines++;
  }

  /**
   * The body is read: each deployment's identity for its engine series this cycle. Returns the deployments
   * whose identity is not the one their engine series were last settled with (now it is: the caller decides
   * their engine series again), and the engine lines left without one.
   */
  settle(cycle: number): { changed: Set<DeploymentSlot>; unidentified: { series: number; deployments: string[] } } {
    const changed = new Set<DeploymentSlot>();
    let series = 0;
    const deployments: string[] = [];
    for (const slot of this.slots.values()) {
      const identity = slot.current(cycle);
      if (identity !== slot.settled) {
        slot.settled = identity;
        changed.add(slot);
      }
      if (identity === NO_IDENTITY && slot.linesCycle === cycle) {
        series += slot.lines;
        deployments.push(slot.id);
      }
    }
    return { changed, unidentified: { series, deployments: deployments.sort() } };
  }

  /** Ends a cycle read as metrics: deployments no line referred to go, and identities no deployment has. */
  sweep(cycle: number): void {
    for (const [id, slot] of this.slots) {
      if (slot.touched === cycle) continue;
      this.slots.delete(id);
      this.changed ||= slot.listed;
    }
    if (this.interned.size > 2 * this.slots.size + 16) {
      const used = new Set([...this.slots.values()].map((s) => s.identity));
      for (const [key, identity] of this.interned) if (!used.has(identity)) this.interned.delete(key);
    }
  }

  /** Every deployment's identity stated in `cycle`, or undefined when the table is the one last handed out. */
  identities(cycle: number): Array<[deploymentId: string, identity: DeploymentIdentity]> | undefined {
    let changed = this.changed;
    const table: Array<[string, DeploymentIdentity]> = [];
    for (const [id, slot] of this.slots) {
      const listed = slot.stated === cycle;
      changed ||= listed !== slot.listed;
      slot.listed = listed;
      if (listed) table.push([id, slot.identity]);
    }
    this.changed = false;
    return changed ? table.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : undefined;
  }
}
