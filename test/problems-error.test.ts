/** ProblemsError: every load-time error prints as one line per problem, each naming where it is. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/index.js';
import { ProblemsError } from '../src/problems-error.js';
import { WebConfigError } from '../src/web-config/index.js';

describe('ProblemsError', () => {
  it.each<[string, ProblemsError, string[]]>([
    [
      'a config file',
      new ConfigError('b.yml', ['upstream.url: bad', 'shard: bad']),
      ['config b.yml: upstream.url: bad', 'config b.yml: shard: bad'],
    ],
    [
      'a web config file',
      new WebConfigError('w.yml', ['tls_server_config.cert_file: missing']),
      ['web config w.yml: tls_server_config.cert_file: missing'],
    ],
    [
      'no web config file',
      new WebConfigError(undefined, ['tls_server_config: x']),
      ['web config: tls_server_config: x'],
    ],
    ['no origin', new ProblemsError('', ['--shard: bad']), ['--shard: bad']],
  ])('%s: lines() name the origin once', (_name, err, lines) => {
    expect(err).toBeInstanceOf(ProblemsError);
    expect(err.lines()).toEqual(lines);
    expect(err.message).toBe(lines.join('\n'));
  });
});
