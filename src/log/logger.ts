/**
 * @module log — winston with key redaction built into the format, one line per event, logfmt or JSON.
 */
import winston from 'winston';
import { SecretRegistry } from './secrets.js';
import { toJsonLine, toLogfmtLine, type Fields } from './line-format.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'logfmt' | 'json';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const LOG_FORMATS: readonly LogFormat[] = ['logfmt', 'json'];

/** The small surface the rest of the bridge logs through. */
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  secrets: SecretRegistry;
  /** Where lines go; stderr by default, like Prometheus exporters. */
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const render = opts.format === 'json' ? toJsonLine : toLogfmtLine;
  // The redaction runs on the finished line, so no field, nested value or message can slip past it.
  const lineFormat = winston.format((info) => {
    const { level, message, ...fields } = info;
    const line = render(new Date().toISOString(), String(level), String(message), fields as Fields);
    info[Symbol.for('message')] = opts.secrets.redact(line);
    return info;
  });
  const inner = winston.createLogger({
    level: opts.level,
    levels: { error: 0, warn: 1, info: 2, debug: 3 },
    format: lineFormat(),
    transports: [new LineTransport(write)],
  });
  return {
    debug: (msg, fields) => inner.log('debug', msg, fields ?? {}),
    info: (msg, fields) => inner.log('info', msg, fields ?? {}),
    warn: (msg, fields) => inner.log('warn', msg, fields ?? {}),
    error: (msg, fields) => inner.log('error', msg, fields ?? {}),
  };
}

/** A transport that writes the already-formatted line synchronously (no buffering: lines survive a crash). */
class LineTransport extends winston.transports.Stream {
  constructor(private readonly writeLine: (line: string) => void) {
    super({ stream: process.stderr });
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.writeLine(`${String(info[Symbol.for('message')])}\n`);
    next();
  }
}
