/**
 * A fake Baseten for the conformance corpus, on a loopback port. Every payload has its own key and three
 * paths, all behind `Authorization: Api-Key <key>`:
 *   /bridge/<id>  what the bridge fetches;
 *   /direct/<id>  the same body, for a Prometheus job that scrapes the upstream directly;
 *   /ref/<id>     the reference body (payload.ts referenceBodyOf), for payloads Prometheus refuses;
 *   /probe/<id>   a probe (probes.ts), behind the key of `probe`.
 * The round being served is switched by the test; each request records which round it got.
 */
import { generateApiKey } from '../../src/demo/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { bodyOf, referenceBodyOf, type Payload } from './payload.js';
import type { Probe } from './probes.js';

/** The key of the probe paths. */
export const PROBE_KEY_ID = 'probe';

export interface Served {
  path: 'bridge' | 'direct' | 'ref' | 'probe';
  id: string;
  round: number;
  atMs: number;
}

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  base: string;
  host: string;
  keys: ReadonlyMap<string, string>;
  round: number;
  served: Served[];
  /** Requests refused for a missing or wrong key (must stay 0). */
  unauthorized: number;
  close(): Promise<void>;
}

export async function startFakeUpstream(
  payloads: readonly Payload[],
  probes: readonly Probe[] = [],
): Promise<FakeUpstream> {
  const keys = new Map([...payloads.map((p) => p.id), PROBE_KEY_ID].map((id) => [id, generateApiKey()]));
  const probeBodies = new Map(probes.map((p) => [p.id, p.body]));
  const byId = new Map(payloads.map((p) => [p.id, p]));
  const bodies = new Map<string, string>();
  const bodyFor = (path: Served['path'], payload: Payload, round: number): string => {
    const cacheKey = `${path}/${payload.id}/${round}`;
    let body = bodies.get(cacheKey);
    if (body === undefined) {
      const r = payload.rounds[round]!;
      body = path === 'ref' ? referenceBodyOf(r) : bodyOf(r);
      bodies.set(cacheKey, body);
    }
    return body;
  };
  const state = { round: 0, served: [] as Served[], unauthorized: 0 };
  const server: TestServer = await startTestServer((req, res) => {
    const match = /^\/(bridge|direct|ref|probe)\/([pq]\d+)$/.exec(req.url ?? '');
    const path = match?.[1] as Served['path'] | undefined;
    const id = match?.[2] ?? '';
    const payload = byId.get(id);
    const probe = path === 'probe' ? probeBodies.get(id) : undefined;
    if (path === undefined || (probe === undefined ? payload === undefined || path === 'probe' : false)) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== `Api-Key ${keys.get(probe === undefined ? id : PROBE_KEY_ID)}`) {
      state.unauthorized++;
      res.writeHead(401).end();
      return;
    }
    state.served.push({ path, id, round: state.round, atMs: Date.now() });
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(probe ?? bodyFor(path, payload!, state.round));
  });
  const base = server.url.replace(/\/metrics$/, '');
  return {
    base,
    host: base.replace(/^http:\/\//, ''),
    keys,
    get round() {
      return state.round;
    },
    set round(r: number) {
      state.round = r;
    },
    get served() {
      return state.served;
    },
    get unauthorized() {
      return state.unauthorized;
    },
    close: () => server.close(),
  };
}
