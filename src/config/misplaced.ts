/**
 * Keys people put in the wrong place, and where they belong: an unknown-field error that only lists the known
 * fields leaves them guessing (and "did you mean api_key_file" for `api_key:` would invite pasting the key
 * into a file path). Checked before the "did you mean" suggestion.
 */
const KEY_FIELDS: ReadonlySet<string> = new Set(['api_key', 'apikey', 'key', 'token', 'credentials', 'authorization']);

/**
 * `section` is where the key was found ('' for the top level, `upstream`, `targets[]`, `upstream.tls_config`);
 * `upstreamKeys` are the fields of an upstream. Returns the fix, or undefined when the key is merely unknown.
 */
export function misplacedKey(section: string, key: string, upstreamKeys: readonly string[] = []): string | undefined {
  if (KEY_FIELDS.has(key.toLowerCase())) {
    const file = section === 'targets[]' ? 'targets[].api_key_file' : 'upstream.api_key_file';
    return (
      `the API key never goes in the config file; put it alone in a file ` +
      `readable only by the bridge and set ${file} (or BASETEN_API_KEY_FILE)`
    );
  }
  if (section === '' && upstreamKeys.includes(key))
    return `belongs under upstream: (as upstream.${key}), or under each entry of targets:`;
  if ((section === 'upstream' || section === 'upstream.tls_config') && key === 'metric_relabel_configs') {
    return 'belongs at the top level, beside upstream: (not inside it), as in a Prometheus scrape config';
  }
  if (section === 'upstream' && (key === 'targets' || key === 'remote_write' || key === 'shard'))
    return `belongs at the top level, beside upstream: (not inside it)`;
  if (section === 'targets[]' && (key === 'upstream' || key === 'remote_write' || key === 'shard')) {
    return key === 'upstream'
      ? 'a target takes the upstream fields directly (url, interval, api_key_file, ...), not an upstream: section'
      : 'belongs at the top level, beside targets: (not inside one)';
  }
  return undefined;
}
