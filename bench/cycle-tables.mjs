// The tables of the cycle section (cycle.mjs rows): the payload each case moved through, CPU per cycle,
// memory and serving, bridge beside Prometheus in every row.
import { sizeOf } from './payload.mjs';

const s = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${x.toFixed(3)} s`);
const ms = (x) => (x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);
const mib = (x) => (x === undefined ? 'n/a' : `${(x / 2 ** 20).toFixed(0)} MiB`);
const ratio = (a, b) => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : 'n/a');
/** Short names of the kinds in the one-by-one lists. */
const KIND = { cold: 'cold', changed: 'chg', repeated: 'rep' };
export const pct = (c) => `${+(c * 100).toFixed(2)} %`;

/** The row's leading cells: series, churn, upstream gzip. */
const head = (x) => `| ${x.series.toLocaleString('en')} | ${pct(x.churn)} | ${x.gzip ? 'on' : 'off'} |`;
const healthy = (h) => (h ? `${ms(h.p99)} / ${ms(h.max)}` : 'n/a');

export function cycleTables(rows) {
  const payload = [
    '| series | churn | upstream gzip | body | deployments replaced, per ' +
      'measured refresh | series new in that refresh | rules | machine load ' +
      '(1 min) at the start |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (x) =>
        `${head(x)} ${(x.bytes / 2 ** 20).toFixed(1)} MiB | ` +
        `${x.replacedPerRefresh.join(', ') || '—'} | ` +
        `${x.newSeriesPerRefresh.map((n) => n ?? '?').join(', ') || '—'} | ` +
        `${x.rules} | ${x.load?.toFixed(1) ?? 'n/a'} |`,
    ),
  ];
  const cpu = [
    '| series | churn | upstream gzip | bridge cold | bridge steady | ' +
      'bridge, changed bodies | bridge, mean | Prometheus first scrape | ' +
      'Prometheus steady | Prometheus, changed bodies | steady ÷ Prometheus ' +
      '| changed ÷ Prometheus changed | mean ÷ Prometheus mean | cold ÷ ' +
      'Prometheus steady |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((x) => {
      const p = x.prom;
      return (
        `${head(x)} ${s(x.cold)} | ${s(x.steady)} | ${s(x.changed)} | ` +
        `${s(x.mean)} | ${s(p?.cold)} | ${s(p?.steady)} | ${s(p?.changed)} | ` +
        `${ratio(x.steady, p?.steady)} | ${ratio(x.changed, p?.changed)} | ` +
        `${ratio(x.mean, p?.mean)} | ${ratio(x.cold, p?.steady)} |`
      );
    }),
  ];
  const oneByOne = rows.map((x) => {
    const list = (cycles) => cycles.map((c) => `${c.n} ${KIND[c.kind]} ${c.cpu.toFixed(2)}`).join(', ');
    return (
      `- ${x.series.toLocaleString('en')} series, ${pct(x.churn)} churn, ` +
      `gzip ${x.gzip ? 'on' : 'off'} — bridge: ${list(x.perCycle)}; ` +
      `Prometheus: ${x.prom ? list(x.prom.perCycle) : 'n/a'}`
    );
  });
  const memory = [
    '| series | churn | upstream gzip | bridge RSS, steady | Prometheus ' +
      'RSS, steady | ratio | bridge peak RSS | Prometheus peak RSS | ratio | ' +
      'bridge peak against 256 MiB |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((x) => {
      const p = x.prom;
      const budget =
        sizeOf(x.series) === '50k' ? `${mib(x.peakRss)} (${x.peakRss < 256 * 2 ** 20 ? 'under' : 'over'})` : '—';
      return (
        `${head(x)} ${mib(x.steadyRss)} | ${mib(p?.steadyRss)} | ` +
        `${ratio(x.steadyRss, p?.steadyRss)} | ${mib(x.peakRss)} | ` +
        `${mib(p?.peakRss)} | ${ratio(x.peakRss, p?.peakRss)} | ${budget} |`
      );
    }),
  ];
  const serving = [
    '| series | churn | upstream gzip | /metrics plain | /metrics gzip | ' +
      'Prometheus /federate (gzip) | /federate ÷ /metrics gzip | /-/healthy ' +
      'p99 / max, cold cycle | changed-body cycle | repeated-body cycle | ' +
      'scrapes/s (wrk, gzip) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (x) =>
        `${head(x)} ${ms(x.scrapePlain)} | ${ms(x.scrapeGzip)} | ` +
        `${ms(x.prom?.federateMs)} | ` +
        `${x.prom?.federateMs ? `${(x.prom.federateMs / x.scrapeGzip).toFixed(0)}×` : 'n/a'} ` +
        `| ${healthy(x.healthy.cold)} | ${healthy(x.healthy.changed)} | ` +
        `${healthy(x.healthy.repeated)} | ` +
        `${x.scrapesPerSecond?.toFixed(0) ?? '—'} |`,
    ),
  ];
  return {
    payload: payload.join('\n'),
    cpu: cpu.join('\n'),
    oneByOne: oneByOne.join('\n'),
    memory: memory.join('\n'),
    serving: serving.join('\n'),
  };
}
