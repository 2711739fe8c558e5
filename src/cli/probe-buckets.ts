/**
 * `rules --probe`: one fetch of a target (it counts against the rate budget, as `check-config --probe`), to
 * read the `le` boundaries Baseten's histograms really have, so an SLO threshold can be checked against them.
 */
import type { TargetConfig } from '../config/index.js';
import { bucketsInExposition } from '../rules/index.js';
import type { CommandIo } from './command-io.js';
import { fetchOnce } from './one-shot.js';
import { ProblemsError } from '../problems-error.js';

export async function probeBuckets(
  target: TargetConfig,
  storagePath: string,
  io: CommandIo,
): Promise<Map<string, number[]>> {
  const [result] = await fetchOnce([target], storagePath, io);
  if (!result!.ok) throw new ProblemsError('rules --probe', [result!.problem]);
  return bucketsInExposition(result!.snapshot.text.toString('utf8'));
}
