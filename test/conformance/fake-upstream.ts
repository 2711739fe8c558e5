/**
 * A fake Baseten for the conformance corpus, on a loopback port. Every payload has its own key and three
 * paths, all behind `Authorization: Api-Key <key>`:
 *   /bridge/<id>  what the bridge fetches;
 *   /direct/<id>  the same body, for a Prometheus job that scrapes the upstream directly;
 *   /ref/<id>     the reference body (payload.ts referenceBodyOf), for payloads Prometheus refuses.
 * The round being served is switched by the test; each request records which round it got.
 */
import { generateApiKey } from '../../src/demo/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { bodyOf, referenceBodyOf, type Payload } from './payload.js';

export interface Served {
  path: 'bridge' | 'direct' | 'ref';
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

export async function startFakeUpstream(payloads: readonly Payload[]): Promise<FakeUpstream> {
  const keys = new Map(payloads.map((p) => [p.id, generateApiKey()]));
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
    const match = /^\/(bridge|direct|ref)\/(p\d+)$/.exec(req.url ?? '');
    const payload = match ? byId.get(match[2]!) : undefined;
    if (!match || !payload) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== `Api-Key ${keys.get(payload.id)}`) {
      state.unauthorized++;
      res.writeHead(401).end();
      return;
    }
    const path = match[1] as Served['path'];
    state.served.push({ path, id: payload.id, round: state.round, atMs: Date.now() });
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(bodyFor(path, payload, state.round));
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
