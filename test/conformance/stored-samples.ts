/**
 * What a real Prometheus stored, read back through its HTTP API (2.42 has no /api/v1/export): a range
 * selector `{job="…"}[…]` returns every raw sample in the window, its value as Go writes a float64
 * (strconv 'f', -1: the shortest text that reads back bit for bit, `-0` kept, NaN as `NaN`).
 */

export interface StoredSeries {
  /** Values of the samples Prometheus timestamped at scrape time, each run of equal values once. */
  scraped: string[];
  /** Samples that carried their own timestamp (before the suite began), as `<ms>=<value>`. */
  stamped: string[];
}

interface MatrixResult {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/** A series' identity without the labels that only say how it was scraped. */
export function seriesKey(metric: Record<string, string>): string {
  const { __name__: name = '', job: _job, instance: _instance, ...rest } = metric;
  const pairs = Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${name}{${pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

/** The series Prometheus writes about each scrape itself (scrape/scrape.go report): not the target's. */
function isScrapeReport(name: string | undefined): boolean {
  return name === 'up' || (name?.startsWith('scrape_') ?? false);
}

async function api<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; error?: string; data: T };
  if (body.status !== 'success') throw new Error(`${url}: ${body.error}`);
  return body.data;
}

/** Every sample of `selector` in the last `windowSeconds`, per series. */
export async function storedSamples(
  promUrl: string,
  selector: string,
  windowSeconds: number,
  stampedBeforeMs: number,
): Promise<Map<string, StoredSeries>> {
  const query = `${selector}[${Math.ceil(windowSeconds)}s]`;
  const data = await api<{ result: MatrixResult[] }>(
    `${promUrl}/api/v1/query?query=${encodeURIComponent(query)}&time=${Date.now() / 1000}`,
  );
  const out = new Map<string, StoredSeries>();
  for (const { metric, values } of data.result) {
    if (isScrapeReport(metric.__name__)) continue;
    const series: StoredSeries = { scraped: [], stamped: [] };
    for (const [t, v] of values) {
      const ms = Math.round(t * 1000);
      if (ms < stampedBeforeMs) series.stamped.push(`${ms}=${v}`);
      else if (series.scraped[series.scraped.length - 1] !== v) series.scraped.push(v);
    }
    out.set(seriesKey(metric), series);
  }
  return out;
}

/** The series of `selector` Prometheus holds as current (not marked stale), with their latest value. */
export async function currentSeries(promUrl: string, selector: string): Promise<Map<string, string>> {
  const data = await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
    `${promUrl}/api/v1/query?query=${encodeURIComponent(selector)}&time=${Date.now() / 1000}`,
  );
  return new Map(
    data.result
      .filter(({ metric }) => !isScrapeReport(metric.__name__))
      .map(({ metric, value }) => [seriesKey(metric), value[1]]),
  );
}

export interface TargetState {
  job: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrapeMs: number;
}

export async function targets(promUrl: string): Promise<Map<string, TargetState>> {
  const data = await api<{
    activeTargets: Array<{
      labels: Record<string, string>;
      health: TargetState['health'];
      lastError: string;
      lastScrape: string;
    }>;
  }>(`${promUrl}/api/v1/targets?state=active`);
  return new Map(
    data.activeTargets.map((t) => {
      const job = t.labels.job ?? '';
      return [job, { job, health: t.health, lastError: t.lastError, lastScrapeMs: Date.parse(t.lastScrape) }];
    }),
  );
}
