/**
 * Sharding: replica `i` of `n` runs the targets whose name hashes to `i`, with the MD5 hashmod of Prometheus's
 * relabeling (the same arithmetic as `action: hashmod`), so `n` replicas split the targets without overlap and
 * every replica computes the same split from the same config.
 */
import { hashmod, prepareModulus } from '../relabel/index.js';

export interface Shard {
  index: number;
  count: number;
}

/** `i/n`, where `i` may also be a StatefulSet pod name (`baseten-bridge-2`): its ordinal is the index. */
const SHARD = /^(?:[a-z0-9.-]*-)?(\d{1,4})\/(\d{1,4})$/;

/** Parses `i/n`; undefined and a one-line problem when it is not one. */
export function parseShard(text: string): { shard?: Shard; problem?: string } {
  const match = SHARD.exec(text.trim());
  if (!match)
    return {
      problem: `"${text}" is not i/n (e.g. 0/3 for the first of three replicas, or $(POD_NAME)/3 in a StatefulSet)`,
    };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) return { problem: `"${text}": i must be from 0 to n-1 and n at least 1 (e.g. 2/3)` };
  return { shard: { index, count } };
}

/** The shard a target name belongs to, from 0 to count-1. */
export function shardOf(name: string, count: number): number {
  return Number(hashmod(name, prepareModulus(BigInt(count))));
}

export function inShard<T extends { name: string }>(targets: readonly T[], shard: Shard | undefined): T[] {
  if (!shard || shard.count === 1) return [...targets];
  return targets.filter((t) => shardOf(t.name, shard.count) === shard.index);
}
