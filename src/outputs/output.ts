/**
 * The seam between a good cycle and what is done with it. Every output (the merged /metrics exposition,
 * remote_write, any other) implements `Output`; startBridge (cli/run-server.ts) builds the one list of them,
 * hands each good cycle's snapshot to every one, reconfigures them on a reload and closes them at stop.
 */
import type { Config, Shard, TargetConfig } from '../config/index.js';
import type { Snapshot } from '../snapshot/index.js';

/** A loaded config and the part of it this replica runs: the shard is chosen once per config, by the caller. */
export interface ReplicaConfig {
  config: Config;
  /** The --shard flag, else the file's `shard:`; undefined when the replica runs every target. */
  shard: Shard | undefined;
  /** This replica's targets (its shard's), in config order. */
  targets: readonly TargetConfig[];
}

export interface Output {
  /**
   * After each good cycle of any target, with the snapshot that target now serves. Returns at once and never
   * throws (the cycle is done); keeps the snapshot's buffers by reference, never copies them.
   */
  push(snapshot: Snapshot, target: TargetConfig): void;
  /** A reloaded config that loaded cleanly, after the targets took it (SIGHUP, /-/reload). */
  reconfigure(next: ReplicaConfig): void;
  /**
   * At stop: sends what it still holds within `graceMs` (0 when the start failed), then stops, leaving no timer
   * behind.
   */
  close(graceMs: number): Promise<void>;
}
