/**
 * The Dockerfile read as instructions (no Docker engine here to build it): multi-stage, production
 * dependencies only in the final stage, a non-root user, a health check on /-/healthy, and a .dockerignore
 * that keeps the key file and the dev tree out of the build context.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

interface Instruction {
  op: string;
  args: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const all = instructions(readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8'));
const stages: Instruction[][] = [];
for (const ins of all) {
  if (ins.op === 'FROM') stages.push([]);
  stages[stages.length - 1]?.push(ins);
}
const final = stages[stages.length - 1]!;

describe('Dockerfile', () => {
  it('is multi-stage on Node 20', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(all.find((i) => i.op === 'ARG')?.args).toMatch(/^NODE_IMAGE=node:20\.\d+-bookworm-slim$/);
  });

  it('installs only production dependencies into the final image, without install scripts', () => {
    const copies = final.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toEqual(
      expect.arrayContaining(['--from=deps /app/node_modules ./node_modules', '--from=build /src/dist ./dist']),
    );
    const deps = stages.find((s) => /AS deps$/.test(s[0]!.args))!;
    expect(deps.find((i) => i.op === 'RUN')?.args).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(final.some((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args))).toBe(false);
    expect(copies.some((c) => /^(src|test|\.)\b/.test(c))).toBe(false);
  });

  it('runs as a non-root user', () => {
    const user = final.filter((i) => i.op === 'USER').pop();
    expect(user?.args).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
  });

  it('checks /-/healthy and starts the bridge', () => {
    expect(final.find((i) => i.op === 'HEALTHCHECK')?.args).toContain("fetch('http://127.0.0.1:19340/-/healthy')");
    expect(final.find((i) => i.op === 'EXPOSE')?.args).toBe('19340');
    expect(final.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["node", "bin/baseten-bridge.js"]');
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it.each(['baseten_api_key', '.env', 'node_modules', 'dist', '.git', 'test'])('leaves out %s', (entry) => {
    expect(ignored).toContain(entry);
  });

  it('keeps everything the Dockerfile copies', () => {
    for (const source of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'bin']) {
      expect(ignored).not.toContain(source);
    }
  });
});
