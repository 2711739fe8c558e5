/**
 * The faults that keep a response open: hang, reset-mid-body, trickle and endless. Each is tracked in
 * OpenResponses, stops writing the moment its client goes away, and is ended by the simulator's close().
 */
import type { ServerResponse } from 'node:http';
import type { SimulatorRequest } from './handler.js';
import { METRICS_CONTENT_TYPE } from './handler.js';
import type { OpenResponses } from './open-responses.js';

export interface StreamTarget {
  res: ServerResponse;
  record: SimulatorRequest;
  open: OpenResponses;
}

/** Reads the request and never answers it. The connection stays open until the client or close() ends it. */
export function hang({ res, record, open }: StreamTarget): void {
  record.status = 0;
  open.track(res);
}

/**
 * How long reset-mid-body waits after its partial body reached the kernel before resetting. On Linux an
 * RST that arrives while the peer has not yet read the data is reported to it as end of stream after the
 * data, not as ECONNRESET; a moment to read first makes the reset visible as one.
 */
const RESET_AFTER_MS = 20;

/** 200 headers with the full Content-Length, the first half of `body`, then a TCP reset (RST, not FIN). */
export function resetMidBody({ res, record, open }: StreamTarget, body: Buffer): void {
  let timer: NodeJS.Timeout | undefined;
  open.track(res, () => clearTimeout(timer));
  const part = body.subarray(0, Math.floor(body.length / 2));
  record.status = 200;
  record.bodyBytes = part.length;
  res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': body.length });
  res.write(part, () => {
    timer = setTimeout(() => res.socket?.resetAndDestroy(), RESET_AFTER_MS);
  });
}

/** Trickle's clock: how often it sends whatever its rate has made due since the start. */
const TRICKLE_TICK_MS = 50;

/**
 * Sends `body` (headers first, complete with Content-Length) at `bytesPerSecond`: every tick, the bytes
 * due by then. Pacing from the start time rather than per tick keeps the average rate exact.
 */
export function trickle(
  { res, record, open }: StreamTarget,
  body: Buffer,
  headers: Record<string, string | number>,
  bytesPerSecond: number,
): void {
  let timer: NodeJS.Timeout | undefined;
  open.track(res, () => clearTimeout(timer));
  record.status = 200;
  record.bodyBytes = 0;
  res.writeHead(200, headers);
  res.flushHeaders();
  const startedAt = performance.now();
  let sent = 0;
  const tick = (): void => {
    const due = Math.min(body.length, Math.floor((bytesPerSecond * (performance.now() - startedAt)) / 1000));
    if (due > sent) {
      res.write(body.subarray(sent, due));
      sent = due;
      record.bodyBytes = sent;
    }
    if (sent < body.length) timer = setTimeout(tick, TRICKLE_TICK_MS);
    else res.end();
  };
  timer = setTimeout(tick, TRICKLE_TICK_MS);
}

const ENDLESS_FAMILY = 'baseten_concurrent_requests';
const ENDLESS_HEADER = `# HELP ${ENDLESS_FAMILY} In-flight requests.\n# TYPE ${ENDLESS_FAMILY} gauge\n`;
const ENDLESS_LINES_PER_CHUNK = 512;

/** Lines `first` to `first + ENDLESS_LINES_PER_CHUNK - 1` of the endless body: each a new, valid series. */
function endlessChunk(first: number): Buffer {
  let text = '';
  for (let n = first; n < first + ENDLESS_LINES_PER_CHUNK; n++) {
    text +=
      `${ENDLESS_FAMILY}{model_id="endless",model_name="Endless",` +
      `deployment_id="d${n}",environment="production"} ${n % 7}\n`;
  }
  return Buffer.from(text, 'utf8');
}

/**
 * 200 and a chunked body that never ends. One chunk is generated per write and the next waits for
 * 'drain' when the socket is full, so memory stays flat however slowly the client reads.
 */
export function endless({ res, record, open }: StreamTarget): void {
  let stopped = false;
  let immediate: NodeJS.Immediate | undefined;
  let next = 0;
  const pump = (): void => {
    if (stopped) return;
    const chunk = next === 0 ? Buffer.concat([Buffer.from(ENDLESS_HEADER), endlessChunk(0)]) : endlessChunk(next);
    next += ENDLESS_LINES_PER_CHUNK;
    record.bodyBytes = (record.bodyBytes ?? 0) + chunk.length;
    // A write that did not fill the buffer yields to the event loop before the next, so a fast client
    // cannot keep this loop from letting anything else run.
    if (res.write(chunk)) immediate = setImmediate(pump);
    else res.once('drain', pump);
  };
  open.track(res, () => {
    stopped = true;
    clearImmediate(immediate);
    res.off('drain', pump);
  });
  record.status = 200;
  record.bodyBytes = 0;
  res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE });
  pump();
}
