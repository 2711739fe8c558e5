/**
 * remote_write as one of the bridge's outputs (outputs/output.ts): every good cycle of every target is pushed
 * to every remote_write receiver, its samples timestamped with their fetch time; a reload applies the new
 * `remote_write:` list.
 */
import type { ReplicaConfig, Output } from '../outputs/index.js';
import type { Snapshot } from '../snapshot/index.js';
import { RemoteWriter, type RemoteWriterDeps } from './remote-writer.js';

export class RemoteWriteOutput implements Output {
  private readonly writer: RemoteWriter;

  constructor(replica: ReplicaConfig, deps: RemoteWriterDeps) {
    this.writer = new RemoteWriter(replica.config.remoteWrite, deps);
  }

  push(snapshot: Snapshot): void {
    this.writer.push(snapshot.text, snapshot.stampedAtMs, snapshot.stamped);
  }

  reconfigure(next: ReplicaConfig): void {
    this.writer.reconfigure(next.config.remoteWrite);
  }

  /** What is still queued gets `graceMs` to go out; the rest is counted as dropped. */
  close(graceMs: number): Promise<void> {
    return this.writer.close(graceMs);
  }
}
