/** basic_auth_users over real HTTP (basicAuth middleware in an express app), and its bcrypt cache. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PasswordChecker } from '../../src/web-config/basic-auth-cache.js';
import { basicAuth, parseBasicAuth } from '../../src/web-config/basic-auth.js';
import { createWebServer } from '../../src/web-config/web-config-server.js';
import { loadWebConfig, type WebConfig } from '../../src/web-config/web-config.js';

// Cost 4 keeps the tests fast; the cost is part of the hash, so nothing else changes.
const hash = (password: string) => bcrypt.hashSync(password, 4).replace(/^\$2b\$/, '$2y$');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const CHALLENGE = 'Basic realm="baseten-bridge"';

const dir = mkdtempSync(join(tmpdir(), 'bridge-basic-auth-'));
function webConfig(name: string, yaml: string): WebConfig {
  writeFileSync(join(dir, name), yaml);
  return loadWebConfig(join(dir, name));
}
const aliceAndCarol = webConfig(
  'alice-carol.yml',
  `http_server_config:\n  headers:\n    X-Frame-Options: ` +
    `sameorigin\nbasic_auth_users:\n  alice: ${hash('alice-pw')}\n  carol: ` +
    `'${hash('pa:ss wörd')}'\n`,
);
const bobOnly = webConfig('bob.yml', `basic_auth_users:\n  bob: ${hash('bob-pw')}\n`);
const nobody = webConfig('nobody.yml', 'basic_auth_users: {}\n');

let current: WebConfig | undefined = aliceAndCarol;
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(basicAuth(() => current));
  app.get('/metrics', (_req, res) => {
    res.type('text').send('probe_value 1\n');
  });
  app.get('/-/healthy', (_req, res) => {
    res.type('text').send('Healthy.\n');
  });
  server = createWebServer(app, current);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  current = aliceAndCarol;
});

async function call(path: string, authorization?: string, method = 'GET') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    frame: res.headers.get('x-frame-options'),
    body: await res.text(),
  };
}

describe('basic auth', () => {
  it.each<[string, string, string | undefined, number]>([
    ['the right password', '/metrics', basic('alice', 'alice-pw'), 200],
    ['a password with a colon and non-ASCII', '/metrics', basic('carol', 'pa:ss wörd'), 200],
    ['the scheme in lower case', '/metrics', basic('alice', 'alice-pw').replace('Basic', 'basic'), 200],
    ['a wrong password', '/metrics', basic('alice', 'wrong'), 401],
    ["another user's password", '/metrics', basic('alice', 'pa:ss wörd'), 401],
    ['an unknown user', '/metrics', basic('mallory', 'alice-pw'), 401],
    ['an empty password', '/metrics', basic('alice', ''), 401],
    ['no credentials', '/metrics', undefined, 401],
    ['another scheme', '/metrics', 'Bearer alice-pw', 401],
    ['garbage after Basic', '/metrics', 'Basic !!!', 401],
    ['base64 without a colon', '/metrics', `Basic ${Buffer.from('alice').toString('base64')}`, 401],
    ['/-/healthy without credentials (liveness probes)', '/-/healthy', undefined, 200],
    ['/-/healthy with wrong credentials', '/-/healthy', basic('alice', 'wrong'), 200],
    ['an unknown path without credentials (no route map leaks)', '/nope', undefined, 401],
  ])('%s → %i', async (_name, path, authorization, status) => {
    const res = await call(path, authorization);
    expect(res.status).toBe(status);
    expect(res.challenge).toBe(status === 401 ? CHALLENGE : null);
    // http_server_config.headers ride on every answer, refusals included.
    expect(res.frame).toBe('sameorigin');
    if (status === 401) expect(res.body).toBe('Unauthorized.\n');
  });

  it('exempts HEAD /-/healthy too, but not other methods', async () => {
    expect((await call('/-/healthy', undefined, 'HEAD')).status).toBe(200);
    expect((await call('/-/healthy', undefined, 'POST')).status).toBe(401);
  });

  it('follows the getter: a reload changes who is accepted at once', async () => {
    expect((await call('/metrics', basic('alice', 'alice-pw'))).status).toBe(200);
    current = bobOnly;
    expect((await call('/metrics', basic('alice', 'alice-pw'))).status).toBe(401);
    expect((await call('/metrics', basic('bob', 'bob-pw'))).status).toBe(200);
    expect((await call('/metrics')).frame).toBeNull();
    current = nobody;
    expect((await call('/metrics')).status).toBe(200);
    current = undefined;
    expect((await call('/metrics')).status).toBe(200);
    current = aliceAndCarol;
    expect((await call('/metrics', basic('bob', 'bob-pw'))).status).toBe(401);
  });
});

describe('parseBasicAuth', () => {
  it.each<[string | undefined, { user: string; password: string } | undefined]>([
    [basic('a', 'b:c'), { user: 'a', password: 'b:c' }],
    [basic('', ''), { user: '', password: '' }],
    ['Basic    ' + Buffer.from('a:b').toString('base64') + '  ', { user: 'a', password: 'b' }],
    [undefined, undefined],
    ['', undefined],
    ['Basic', undefined],
    ['Digest a:b', undefined],
  ])('%s', (header, expected) => {
    expect(parseBasicAuth(header)).toEqual(expected);
  });
});

describe('PasswordChecker: bcrypt once per (user, hash, password)', () => {
  const aliceHash = hash('alice-pw');

  it('caches a success, never a failure', async () => {
    const checker = new PasswordChecker();
    expect(await checker.check('alice', 'alice-pw', aliceHash)).toBe(true);
    expect(await checker.check('alice', 'alice-pw', aliceHash)).toBe(true);
    expect(checker.bcryptRuns).toBe(1);
    expect(await checker.check('alice', 'wrong', aliceHash)).toBe(false);
    expect(await checker.check('alice', 'wrong', aliceHash)).toBe(false);
    expect(checker.bcryptRuns).toBe(3);
  });

  it('keys on the hash: a changed hash is checked again, and the old password fails', async () => {
    const checker = new PasswordChecker();
    expect(await checker.check('alice', 'alice-pw', aliceHash)).toBe(true);
    expect(await checker.check('alice', 'alice-pw', hash('new-pw'))).toBe(false);
    expect(checker.bcryptRuns).toBe(2);
  });

  it('keys on the user: the same password and hash under another name is checked anew', async () => {
    const checker = new PasswordChecker();
    await checker.check('alice', 'alice-pw', aliceHash);
    expect(await checker.check('alias', 'alice-pw', aliceHash)).toBe(true);
    expect(checker.bcryptRuns).toBe(2);
  });

  it('shares one bcrypt between identical concurrent checks', async () => {
    const checker = new PasswordChecker();
    const results = await Promise.all(Array.from({ length: 5 }, () => checker.check('alice', 'alice-pw', aliceHash)));
    expect(results).toEqual([true, true, true, true, true]);
    expect(checker.bcryptRuns).toBe(1);
  });

  it('spends a bcrypt on an unknown user too (no user enumeration by timing), and says no', async () => {
    const checker = new PasswordChecker();
    expect(await checker.check('mallory', 'anything', undefined)).toBe(false);
    // With a decoy (basicAuth passes a configured user's hash), even that user's password is refused.
    expect(await checker.check('mallory', 'alice-pw', undefined, aliceHash)).toBe(false);
    expect(await checker.check('mallory', 'alice-pw', undefined, aliceHash)).toBe(false);
    expect(checker.bcryptRuns).toBe(3);
  });
});
