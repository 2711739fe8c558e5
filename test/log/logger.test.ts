import { describe, expect, it } from 'vitest';
import { createLogger, keyPrefix, SecretRegistry, type LogFormat, type LogLevel } from '../../src/log/index.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
const SECRET_PART = KEY.split('.')[1]!;

function capture(format: LogFormat, level: LogLevel = 'debug') {
  const lines: string[] = [];
  const secrets = new SecretRegistry();
  secrets.add(KEY);
  const logger = createLogger({ level, format, secrets, write: (line) => lines.push(line) });
  return { lines, logger };
}

describe('logger', () => {
  it.each(['logfmt', 'json'] as const)('%s: redacts the key at every level, in the message and in fields', (format) => {
    const { lines, logger } = capture(format);
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      logger[level](`header Api-Key ${KEY}`, { key: KEY, detail: `x ${SECRET_PART} y` });
    }
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain(SECRET_PART);
      expect(line).toContain('abcdefgh.***');
    }
  });

  it('writes logfmt as Prometheus exporters do', () => {
    const { lines, logger } = capture('logfmt');
    logger.info('fetched Baseten metrics', { series: 12, source: 'a b', empty: '' });
    expect(lines[0]).toMatch(/^ts=\S+ level=info msg="fetched Baseten metrics" series=12 source="a b" empty=""\n$/);
  });

  it('writes one JSON object per line', () => {
    const { lines, logger } = capture('json');
    logger.warn('fetch failed', { reason: 'timeout' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'fetch failed', reason: 'timeout' });
  });

  it('honours the level', () => {
    const { lines, logger } = capture('logfmt', 'warn');
    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    expect(lines).toHaveLength(1);
  });

  it.each([
    [KEY, 'abcdefgh.***'],
    ['nodot-key-at-all', '***'],
    ['.leadingdot', '***'],
  ])('keyPrefix(%j) = %j', (key, prefix) => {
    expect(keyPrefix(key)).toBe(prefix);
  });
});
