// The benchmark's upstream (upstream-server.mjs) from the parent's side: its URL, what each refresh holds,
// a way to wait for a peer's request n (and read the peer's CPU the moment it arrives), the kind of body
// request n got, and a reset so the next peer sees the same sequence from its start.
import { fork } from 'node:child_process';
import { once } from 'node:events';

export const FETCHES_PER_REFRESH = 3;

/** What request `n` (from 1) was served: the first body, a body that changed, or a repeat of the last one. */
export function kindOf(n, perRefresh = FETCHES_PER_REFRESH) {
  if (n === 1) return 'cold';
  return (n - 1) % perRefresh === 0 ? 'changed' : 'repeated';
}

/**
 * Starts the upstream for `deployments` deployments with `churn` (fraction of deployments replacing their
 * replicas per refresh), `refreshes` refreshes rendered up front, gzip when asked and `gzip` is set.
 */
export async function startUpstream({ deployments, churn = 0, refreshes = 5, gzip = true, countNew = true }) {
  const child = fork(new URL('./upstream-server.mjs', import.meta.url), {
    env: {
      ...process.env,
      DEPLOYMENTS: String(deployments),
      CHURN: String(churn),
      REFRESHES: String(refreshes),
      GZIP: gzip ? '1' : '0',
      COUNT_NEW: countNew ? '1' : '0',
      FETCHES_PER_REFRESH: String(FETCHES_PER_REFRESH),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`the bench upstream exited (${code})`)));
  exited.catch(() => undefined);
  const [ready] = await Promise.race([once(child, 'message'), exited]);
  let requests = 0;
  let waiters = [];
  child.on('message', (msg) => {
    if (msg.request === undefined) return;
    requests = msg.request;
    const pending = waiters;
    waiters = [];
    for (const w of pending) w(requests);
  });
  return {
    url: ready.url,
    refreshes: ready.refreshes,
    deployments,
    churn,
    gzip,
    /** Requests the prepared refreshes cover; past it the last body repeats. */
    covers: refreshes * FETCHES_PER_REFRESH,
    /** Resolves when request number `n` (from 1) has arrived; calls `atArrival` synchronously then. */
    request: (n, atArrival = () => undefined) =>
      new Promise((resolve) => {
        const check = (count) => {
          if (count >= n) {
            atArrival(count);
            resolve(count);
          } else waiters.push(check);
        };
        check(requests);
      }),
    requests: () => requests,
    /** Back to refresh 0 for the next peer. */
    reset: async () => {
      const replied = new Promise((resolve) => {
        const on = (msg) => {
          if (msg.reset) {
            child.off('message', on);
            resolve();
          }
        };
        child.on('message', on);
      });
      child.send({ reset: true });
      await replied;
      requests = 0;
    },
    close: () => child.kill(),
  };
}
