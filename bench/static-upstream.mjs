// The payload served from a child process (static-server.mjs): its URL, and a way to wait for the bridge's
// next request to it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export async function startStatic(deployments, gzip) {
  const child = spawn(process.execPath, [new URL('./static-server.mjs', import.meta.url).pathname], { env: { ...process.env, DEPLOYMENTS: String(deployments), GZIP: gzip ? '1' : '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [url] = await once(lines, 'line');
  let requests = 0;
  const waiters = [];
  lines.on('line', (line) => {
    if (line !== 'request') return;
    requests++;
    for (const w of waiters.splice(0)) w(requests);
  });
  return {
    url,
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
    close: () => child.kill(),
  };
}
