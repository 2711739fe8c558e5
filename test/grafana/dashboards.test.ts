/**
 * The dashboards as Grafana imports them: regenerated JSON equals the checked-in files, the schema version,
 * the datasource variable everywhere, unique ids, a query in every panel, and the units BASETEN.md calls for.
 * (Grafana itself is not installable here; dashboard-queries.test.ts runs every query against Prometheus.)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS, DATASOURCE_INPUT, renderDashboard, SCHEMA_VERSION } from '../../grafana/generator/index.js';
import { DOC_TABLES, updateDocs } from '../../grafana/generator/docs-tables.js';
import { PROMETHEUS_RULE_FILE, renderPrometheusRule } from '../../deploy/generator/prometheus-rule.js';
import {
  datasourceRefs,
  importAs,
  loadDashboards,
  panelsOf,
  queriesOf,
  variableQuery,
  type JsonDashboard,
  type JsonPanel,
} from './dashboard-model.js';
import { atLeast } from '../helpers/cases.js';

const ROOT = resolve(__dirname, '../..');
const dashboards = atLeast(5, loadDashboards(), 'dashboards');
const MODEL_DASHBOARDS = ['baseten-model-overview', 'baseten-resources', 'baseten-llm', 'baseten-llm-engines'];

describe('generated files are up to date (npm run dashboards:generate)', () => {
  it.each(
    atLeast(
      5,
      DASHBOARDS.map((d) => [d.file, d] as const),
      'generated dashboards',
    ),
  )('%s', (file, { build }) => {
    expect(readFileSync(resolve(ROOT, 'grafana/dashboards', file), 'utf8')).toBe(renderDashboard(build()));
  });

  it.each(DOC_TABLES.map((d) => [d.file] as const))('%s tables', (file) => {
    const text = readFileSync(resolve(ROOT, file), 'utf8');
    expect(text).toBe(updateDocs(text, ROOT, file));
  });

  it(PROMETHEUS_RULE_FILE, () => {
    expect(readFileSync(resolve(ROOT, PROMETHEUS_RULE_FILE), 'utf8')).toBe(renderPrometheusRule(ROOT));
  });
});

/** The data source grafana/provisioning/datasources provisions (docker-compose.yml's Prometheus). */
const PROVISIONED = (
  parse(readFileSync(resolve(ROOT, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
    datasources: Array<{ name: string; type: string }>;
  }
).datasources;

describe.each(dashboards.map((d) => [d.file, d.text, d.dashboard] as const))(
  '%s: the data source on import and on provisioning',
  (_file, text, dashboard) => {
    const variable = () => dashboard.templating.list.find((v) => v.name === 'datasource')!;

    it("declares one Prometheus input, which Grafana's import dialog asks for", () => {
      expect(dashboard.__inputs).toEqual([
        {
          name: 'DS_PROMETHEUS',
          label: 'Prometheus',
          description: expect.stringMatching(/\S/),
          type: 'datasource',
          pluginId: 'prometheus',
          pluginName: 'Prometheus',
        },
      ]);
      expect(dashboard.__inputs).toEqual([DATASOURCE_INPUT]);
    });

    it(
      'uses the input once: as the starting value of the datasource variable,' +
        ' never as a panel, query or variable data source',
      () => {
        expect([...text.matchAll(/\$\{DS_[A-Z_]+\}/g)].map((m) => m[0])).toEqual(['${DS_PROMETHEUS}']);
        expect(variable().current).toEqual({ selected: true, text: 'Prometheus', value: '${DS_PROMETHEUS}' });
        for (const { where, datasource } of datasourceRefs(dashboard))
          expect(datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
      },
    );

    it('imported: starts the variable on the data source picked, and every panel follows the variable', () => {
      expect(() => importAs(text, {})).toThrow('Dashboard input variable: DS_PROMETHEUS missing from import command');
      const imported = importAs(text, { DS_PROMETHEUS: 'picked-uid' });
      expect(imported.__inputs).toBeUndefined();
      expect(imported.templating.list.find((v) => v.name === 'datasource')!.current).toEqual({
        selected: true,
        text: 'Prometheus',
        value: 'picked-uid',
      });
      expect(JSON.stringify(imported)).not.toContain('${DS_');
      for (const { where, datasource } of datasourceRefs(imported))
        expect(datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
    });

    it('provisioned (nothing replaced): the variable starts on the provisioned data source by its name', () => {
      // `${DS_PROMETHEUS}` matches no data source's uid, so Grafana matches the text, then takes the first Prometheus.
      expect(PROVISIONED).toContainEqual(
        expect.objectContaining({ name: variable().current!.text, type: 'prometheus' }),
      );
    });
  },
);

describe.each(dashboards.map((d) => [d.file, d.dashboard] as const))('%s', (_file, dashboard) => {
  const panels = panelsOf(dashboard);

  it('has the Grafana 10 schema version, a uid and a title', () => {
    expect(dashboard.schemaVersion).toBe(SCHEMA_VERSION);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).toMatch(/^Baseten \/ /);
  });

  it('selects its datasource with a `datasource` variable that every panel and query uses', () => {
    const ds = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets ?? [])
        expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
    for (const v of dashboard.templating.list.filter((t) => t.type === 'query')) {
      expect(v.datasource, v.name).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('has unique panel ids, and every panel has at least one query with an expression', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
      for (const t of panel.targets ?? []) expect(t.expr, panel.title).toMatch(/\S/);
      expect(panel.description, panel.title).toMatch(/\S/);
    }
  });

  it('lays panels inside the 24-column grid without overlaps', () => {
    const boxes = dashboard.panels.map((p) => p.gridPos!);
    for (const b of boxes) expect(b.x + b.w).toBeLessThanOrEqual(24);
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${JSON.stringify(a)} / ${JSON.stringify(b)}`).toBe(false);
      }),
    );
  });

  it('rates over $__rate_interval unless a fixed window is the point (restarts per hour, requests per minute)', () => {
    for (const q of queriesOf(dashboard)) {
      for (const [, window] of q.expr.matchAll(/(?:rate|increase)\([^[]*\[([^\]]+)\]/g)) {
        expect(['$__rate_interval', '1h', '1m'], `${q.panel}: ${q.expr}`).toContain(window);
      }
    }
  });

  it('shows its legend on time series', () => {
    for (const panel of panels.filter((p) => p.type === 'timeseries'))
      expect(panel.options?.legend?.showLegend, panel.title).toBe(true);
  });
});

describe.each(
  atLeast(
    4,
    dashboards.filter((d) => MODEL_DASHBOARDS.includes(d.dashboard.uid)).map((d) => [d.file, d.dashboard] as const),
    'model dashboards',
  ),
)('%s variables', (_file, dashboard) => {
  it.each(['environment', 'model_name', 'deployment_id'])('%s: multi-select, All = .*, from label_values', (name) => {
    const v = dashboard.templating.list.find((t) => t.name === name);
    expect(v).toMatchObject({ type: 'query', multi: true, includeAll: true, allValue: '.*' });
    expect(variableQuery(v!)).toMatch(new RegExp(`^label_values\\(baseten_replicas_active.*, ${name}\\)$`));
  });

  it('steps every panel at least 2m: one stored sample per fetch (sample timestamps), two in every rate window', () => {
    const panels = panelsOf(dashboard).filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(3);
    for (const panel of panels) expect((panel as JsonPanel & { interval?: string }).interval, panel.title).toBe('2m');
  });

  it('filters every query by environment, model_name and deployment_id', () => {
    for (const q of queriesOf(dashboard)) {
      for (const name of ['environment', 'model_name', 'deployment_id'])
        expect(q.expr, q.panel).toContain(`${name}=~"$${name}"`);
    }
  });
});

describe('links between dashboards', () => {
  const byUid = new Map(dashboards.map(({ dashboard }) => [dashboard.uid, dashboard]));
  const variables = (dashboard: JsonDashboard) => dashboard.templating.list.map((v) => v.name);
  const links = dashboards.flatMap(({ dashboard }) =>
    (dashboard.links ?? []).map((link) => [`${dashboard.title} → ${link.title}`, dashboard, link] as const),
  );

  it('the model overview links to the LLM engines dashboard', () => {
    expect(byUid.get('baseten-model-overview')!.links).toContainEqual(
      expect.objectContaining({ url: '/d/baseten-llm-engines' }),
    );
  });

  it.each(atLeast(2, links, 'dashboard links'))(
    '%s: to a dashboard of the kit, in the bar, keeping the time range and the selection',
    (_name, from, link) => {
      expect(link).toMatchObject({ type: 'link', includeVars: true, keepTime: true });
      // Grafana 12 folds links placed in the controls menu away; absent, the link shows in the bar.
      expect(link.placement).toBeUndefined();
      const to = byUid.get(/^\/d\/([a-z0-9-]+)$/.exec(link.url ?? '')?.[1] ?? '');
      expect(to, link.url).toBeDefined();
      // includeVars passes every variable as var-<name>: the target must have the same ones for the selection to hold.
      expect(variables(to!)).toEqual(variables(from));
    },
  );
});

/** The unit each family must be shown in (BASETEN.md: GPU memory is MiB, GPU utilization already 0–100). */
const UNIT_RULES: Array<[RegExp, string]> = [
  [/baseten_gpu_memory_used/, 'decmbytes'],
  [/baseten_gpu_utilization/, 'percent'],
  [/histogram_quantile\([^,]+, sum by \([^)]*\) \(rate\(baseten_[a-z_]+_seconds_bucket/, 's'],
  [/baseten_(request|response)_size_bytes|working_set_bytes|response_size_bytes/, 'bytes'],
  [/baseten_bridge_data_age_seconds/, 's'],
  [/status_code=~"(5\.\.|429)"|kv_cache_hit_rate|spec_decode/, 'percentunit'],
  // The engines' (ENGINES.md): latency histograms in seconds, KV usage and hit rates 0–1, error shares.
  [/(vllm|sglang):[a-z_]+_seconds_(bucket|sum)/, 's'],
  [
    /kv_cache_usage_perc|sglang:token_usage|prefix_cache_hits|sglang:cache_hit_rate|finished_reason=~"error\|abort"/,
    'percentunit',
  ],
];

describe('units', () => {
  const cases = dashboards.flatMap(({ dashboard }) =>
    panelsOf(dashboard).map((panel: JsonPanel) => [`${dashboard.title} / ${panel.title}`, panel] as const),
  );
  it.each(atLeast(43, cases, 'panels'))('%s', (_name, panel) => {
    const unit = panel.fieldConfig?.defaults?.unit;
    const exprs = (panel.targets ?? []).map((t) => t.expr ?? '').join('\n');
    const rule = UNIT_RULES.find(([pattern]) => pattern.test(exprs));
    if (rule) expect(unit).toBe(rule[1]);
    else expect(unit).toMatch(/^(short|reqps|s|bytes)$/);
    if (unit === 'percent') expect(panel.fieldConfig?.defaults).toMatchObject({ min: 0, max: 100 });
  });
});
