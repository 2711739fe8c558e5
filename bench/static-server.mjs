// Serves the Baseten-shaped payload of DEPLOYMENTS deployments at /metrics from a process of its own (so
// neither its CPU nor its memory is the bridge's), gzip when asked and GZIP=1. Prints its URL on stdout,
// then one `request` line each time a request arrives (the benchmarks time cycles by these).
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { payload } from './payload.mjs';

const plain = Buffer.from(payload(Number(process.env.DEPLOYMENTS)));
const gzipped = process.env.GZIP === '1' ? gzipSync(plain, { level: 6 }) : undefined;
const server = createServer((req, res) => {
  process.stdout.write('request\n');
  const gzip = gzipped && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? gzipped : plain;
  res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': body.length, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}/metrics`));
