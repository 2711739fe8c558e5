// The benchmark's upstream, in a process of its own (so neither its CPU nor its memory is the measured
// peer's): the Baseten-shaped payload of DEPLOYMENTS deployments as it moves (moving-payload.mjs), every
// refresh rendered before the first request so nothing is rendered while a peer is measured. Like Baseten's
// endpoint, the data refreshes every 30 s while a peer fetches every 10 s: the body changes at every
// FETCHES_PER_REFRESH-th request (3) and repeats byte for byte in between. "Bench time" is counted in
// requests, not read from the clock, so the relation holds for any peer at any interval, and the bridge
// and Prometheus see the same bodies in the same order.
//   DEPLOYMENTS=115 CHURN=0.01 REFRESHES=5 GZIP=1 node bench/upstream-server.mjs   (forked by upstream.mjs)
// IPC: sends {ready, url, refreshes} once rendered, then {request: n} as request n (from 1) arrives;
// {reset} from the parent starts the sequence again at refresh 0 (for the next peer).
import { createServer } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { MovingPayload } from './moving-payload.mjs';

const deployments = Number(process.env.DEPLOYMENTS);
const churn = Number(process.env.CHURN ?? 0);
const refreshCount = Number(process.env.REFRESHES ?? 5);
const perRefresh = Number(process.env.FETCHES_PER_REFRESH ?? 3);
const gzip = process.env.GZIP === '1';

const moving = new MovingPayload(deployments, churn, { countNew: process.env.COUNT_NEW !== '0' });
const bodies = [];
const refreshes = [];
for (let k = 0; k < refreshCount; k++) {
  const r = moving.next();
  const plain = Buffer.from(r.text);
  // Level 6, Go's and zlib's default: what a server that compresses would send.
  bodies.push(gzip ? gzipSync(plain, { level: 6 }) : plain);
  refreshes.push({
    series: r.series,
    replaced: r.replaced,
    newSeries: r.newSeries,
    bytes: plain.length,
    gzipBytes: gzip ? bodies[k].length : undefined,
  });
}
moving.release();

let requests = 0;
const server = createServer((req, res) => {
  requests++;
  process.send({ request: requests });
  const k = Math.min(refreshCount - 1, Math.floor((requests - 1) / perRefresh));
  const useGzip = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  // Bodies are kept compressed when the upstream compresses; a client that does not ask gets them inflated.
  const body = gzip && !useGzip ? gunzipSync(bodies[k]) : bodies[k];
  res.writeHead(200, {
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    'Content-Length': body.length,
    ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(body);
});
process.on('message', (msg) => {
  if (msg.reset) {
    requests = 0;
    process.send({ reset: true });
  }
});
server.listen(0, '127.0.0.1', () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  process.send({ ready: true, url: `${base}/metrics`, refreshes });
});
