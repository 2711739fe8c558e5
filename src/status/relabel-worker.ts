/**
 * The worker thread of the relabel debugger: one request at a time, answered by relabel-answer.ts. The
 * main thread ends the thread when a request overruns its time budget (relabel-runner.ts); a regex match
 * cannot be interrupted any other way.
 */
import { parentPort } from 'node:worker_threads';
import { answerRelabel, type RelabelAnswer, type TraceContext } from './relabel-answer.js';

export interface RelabelJob {
  id: number;
  body: unknown;
  context: TraceContext;
}

export type RelabelReply = { id: number; answer: RelabelAnswer } | { id: number; error: string };

parentPort?.on('message', ({ id, body, context }: RelabelJob) => {
  let reply: RelabelReply;
  try {
    reply = { id, answer: answerRelabel(body, context) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : 'unknown error' };
  }
  parentPort!.postMessage(reply);
});
