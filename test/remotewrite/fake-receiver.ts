/** A scripted remote-write receiver: each request is decoded and recorded, and answered as the test says. */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { decodeWriteRequest, type DecodedSeries } from './decode-write-request.js';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  series: DecodedSeries[];
  at: number;
}

/**
 * An answer: a status (with headers and body), `hang` (never answer until released) or `reset` (drop the connection).
 */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'reset';

export interface FakeReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Every request so far, answered or not. */
  attempts(): number;
  /** Sets how the next requests are answered (then `fallback`, 200 by default). */
  script(...answers: Answer[]): void;
  fallback(answer: Answer): void;
  /** Answers every hanging request with 200. */
  release(): void;
  /** Sample values per request, in order. */
  samplesPerRequest(): number[];
  close(): Promise<void>;
}

export async function startFakeReceiver(): Promise<FakeReceiver> {
  const queue: Answer[] = [];
  let otherwise: Answer = { status: 200 };
  const received: ReceivedRequest[] = [];
  const hanging: ServerResponse[] = [];
  let attempts = 0;
  const server: TestServer = await startTestServer((req, res) => {
    attempts++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = queue.shift() ?? otherwise;
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      if (answer === 'hang') {
        hanging.push(res);
        // Recorded when it is finally answered with 200 (see release).
        res.once('finish', () =>
          received.push({ headers: req.headers, series: decodeWriteRequest(Buffer.concat(chunks)), at: Date.now() }),
        );
        return;
      }
      if (answer.status >= 200 && answer.status < 300)
        received.push({ headers: req.headers, series: decodeWriteRequest(Buffer.concat(chunks)), at: Date.now() });
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  return {
    url: server.url.replace('/metrics', '/api/v1/write'),
    received,
    attempts: () => attempts,
    script: (...answers) => queue.push(...answers),
    fallback: (answer) => (otherwise = answer),
    release() {
      for (const res of hanging.splice(0)) {
        res.writeHead(200);
        res.end();
      }
    },
    samplesPerRequest: () => received.map((r) => r.series.length),
    close: server.close,
  };
}

/** A text exposition of `n` gauge samples `test_gauge{i="k"} k` (plus HELP/TYPE). */
export function gauges(n: number, name = 'test_gauge'): Buffer {
  let text = `# HELP ${name} A test gauge.\n# TYPE ${name} gauge\n`;
  for (let i = 0; i < n; i++) text += `${name}{i="${i}"} ${i}\n`;
  return Buffer.from(text);
}
