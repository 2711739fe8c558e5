/** Turns one event into one line: logfmt (as Prometheus's go-kit logger prints) or JSON. */

/** The fields of one event, written after its message in the order given; undefined ones are left out. */
export type Fields = Record<string, string | number | boolean | undefined>;

function logfmtValue(value: string): string {
  // Quote when the value would otherwise be ambiguous; escape like go-logfmt.
  if (value !== '' && !/[\s"=\\\p{Cc}]/u.test(value)) return value;
  return JSON.stringify(value);
}

export function toLogfmtLine(ts: string, level: string, msg: string, fields: Fields): string {
  const parts = [`ts=${ts}`, `level=${level}`, `msg=${logfmtValue(msg)}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${logfmtValue(String(value))}`);
  }
  return parts.join(' ');
}

export function toJsonLine(ts: string, level: string, msg: string, fields: Fields): string {
  const record: Record<string, unknown> = { ts, level, msg };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) record[key] = value;
  return JSON.stringify(record);
}
