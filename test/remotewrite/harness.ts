/** A RemoteWriter built from YAML-shaped config, with its registry and captured log lines. */
import { Registry } from 'prom-client';
import { readRemoteWrite } from '../../src/config/remote-write.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { RemoteWriter } from '../../src/remotewrite/index.js';

export interface WriterHarness {
  writer: RemoteWriter;
  registry: Registry;
  secrets: SecretRegistry;
  lines: string[];
  /** A metric's value for the given labels (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

export function buildWriter(raw: unknown[], baseDir = process.cwd(), now?: () => number): WriterHarness {
  const { remoteWrite, problems } = readRemoteWrite(raw, baseDir);
  if (problems.length > 0) throw new Error(`test config has problems: ${problems.join('; ')}`);
  const registry = new Registry();
  const secrets = new SecretRegistry();
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format: 'logfmt', secrets, write: (line) => lines.push(line) });
  const writer = new RemoteWriter(
    remoteWrite,
    now ? { logger, registry, secrets, now } : { logger, registry, secrets },
  );
  return {
    writer,
    registry,
    secrets,
    lines,
    async metric(name, labels = {}) {
      const metric = registry.getSingleMetric(name);
      if (!metric) throw new Error(`no metric ${name}`);
      const { values } = await metric.get();
      const found = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
      return found?.value ?? 0;
    },
  };
}

export const P = 'baseten_bridge_remote_write_';
