/**
 * Output the bridge does not write itself, routed through its logger so that every line is in the
 * configured format (a log pipeline that parses logfmt or JSON must never meet a line it cannot read):
 *   - node-cron's messages, which by default go to stdout/stderr in its own coloured format. A missed
 *     tick ("missed execution ... Possible blocking IO or high CPU") is harmless here — the scheduler
 *     decides by time, not by tick — so it is logged at debug; anything else at its level;
 *   - Node's process warnings (deprecations, listener leaks), which Node prints in its own format.
 */
import cron from 'node-cron';
import type { Logger } from '../log/index.js';

function text(message: unknown): string {
  return message instanceof Error ? message.message : String(message);
}

export function routeStrayOutput(logger: Logger): void {
  cron.setLogger({
    info: (message) => logger.debug(`scheduler: ${text(message)}`),
    debug: (message) => logger.debug(`scheduler: ${text(message)}`),
    warn: (message) =>
      /missed execution/i.test(message) ? logger.debug(`scheduler: ${message}`) : logger.warn(`scheduler: ${message}`),
    error: (message, err) => logger.error(`scheduler: ${text(message)}`, err ? { err: err.message } : {}),
  });
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn(`node: ${warning.message}`, { warning: warning.name }));
}
