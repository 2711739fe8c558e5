/**
 * bcrypt comparisons off the event loop. bcryptjs's async compare still runs in chunks of up to 100 ms on
 * the calling thread (a cost-10 hash blocks the loop ~100 ms), which would stall every scrape in flight
 * (DESIGN.md: heavy CPU work must not stall the server's event loop). One worker thread runs them one at a
 * time, as exporter-toolkit's bcryptMtx allows one CompareHashAndPassword at a time.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// CommonJS, because eval workers are; bcryptjs is loaded from the path this module resolves, so the
// worker finds it wherever the process was started from.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

interface Pending {
  resolve: (ok: boolean) => void;
  reject: (err: Error) => void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function stopped(w: Worker, reason: string): void {
  // 'error' is followed by 'exit': act once, and never on behalf of a newer worker.
  if (worker !== w) return;
  worker = undefined;
  const error = new Error(`basic auth: the bcrypt worker stopped (${reason})`);
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function start(): Worker {
  const bcryptjs = createRequire(import.meta.url).resolve('bcryptjs');
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptjs } });
  w.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
    pending.get(id)?.resolve(ok);
    pending.delete(id);
    if (pending.size === 0) w.unref();
  });
  w.on('error', (err) => stopped(w, err.message));
  w.on('exit', (code) => stopped(w, `exit code ${code}`));
  // Held only while a comparison is pending, so an idle worker never keeps the process alive. After the
  // listeners: adding a 'message' listener refs the worker again.
  w.unref();
  return w;
}

/** Whether `password` matches the bcrypt `hash`; a malformed hash is a mismatch. */
export function bcryptCompare(password: string, hash: string): Promise<boolean> {
  const running = (worker ??= start());
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (pending.size === 0) running.ref();
    pending.set(id, { resolve, reject });
    running.postMessage({ id, password, hash });
  });
}
