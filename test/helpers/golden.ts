/**
 * Whether this run rewrites the golden files (`UPDATE_GOLDEN=1`). Under CI it refuses: a golden rewritten by
 * the run that checks it can never fail, so CI must only ever compare.
 */
export function updatingGoldens(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.UPDATE_GOLDEN) return false;
  if (env.CI)
    throw new Error(
      'UPDATE_GOLDEN is set under CI: goldens are only compared there; regenerate them locally and commit the diff',
    );
  return true;
}
