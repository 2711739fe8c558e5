/**
 * `demo`: a simulated Baseten endpoint on loopback with a generated key, and the bridge running against it
 * with a relabel rule that adds a `team` label — what a newcomer runs first.
 */
import { buildConfig, loadConfig } from '../../config/index.js';
import { generateApiKey, startSimulator } from '../../demo/index.js';
import type { CommandIo } from '../command-io.js';
import { DEFAULT_LISTEN_ADDRESS, type Flags } from '../flags.js';
import { pickTarget } from '../pick-target.js';
import { runUntilSignal, startBridge } from '../run-server.js';

/** Relabel rules of the demo: every series gets `team="ml-platform"`, speech models `team="audio"`. */
export const DEMO_RELABEL_CONFIGS = [
  { source_labels: ['__name__'], regex: 'baseten_.+', target_label: 'team', replacement: 'ml-platform' },
  { source_labels: ['model_name'], regex: '(?i).*(whisper|speech).*', target_label: 'team', replacement: 'audio' },
];

/**
 * What the demo prints on stdout. The simulated Baseten needs a key, so it comes with a ready curl: the key is
 * the one generated for this run, valid only for this simulator, never a real one (the demo never reads a key
 * source). Logs still redact it, as every key.
 */
export function demoBanner(simulatorUrl: string, apiKey: string, base: string, telemetryPath: string): string {
  return [
    '',
    `Demo running. Simulated Baseten: ${simulatorUrl} (it wants this run's ` +
      `generated key, valid only for this simulator):`,
    `  curl -H 'Authorization: Api-Key ${apiKey}' ${simulatorUrl}`,
    `  Metrics:  ${base}${telemetryPath}`,
    `  Ready:    ${base}/-/ready`,
    `  Home:     ${base}/`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

export async function demoCommand(flags: Flags, io: CommandIo): Promise<number> {
  const { logger, secrets } = io;
  const apiKey = generateApiKey();
  secrets.add(apiKey);
  const simulator = await startSimulator({ apiKey });
  // The simulator is already listening: any failure from here on must close it, or the process would hang.
  let running: Awaited<ReturnType<typeof startBridge>>;
  try {
    const rules = flags.configFile
      ? pickTarget(loadConfig(flags.configFile), flags.target).relabel
      : DEMO_RELABEL_CONFIGS;
    // 15 s: fast enough to watch counters grow, and 4 requests a minute stays inside Baseten's 6.
    const config = buildConfig(
      { upstream: { url: simulator.url, interval: '15s', timeout: '5s' }, metric_relabel_configs: rules },
      flags.configFile ?? '(demo)',
      process.cwd(),
    );
    // The generated key is nobody's budget: no state file (an empty --storage.path).
    const demoFlags = {
      ...flags,
      listenAddress: flags.listenAddress === DEFAULT_LISTEN_ADDRESS ? '127.0.0.1:19340' : flags.listenAddress,
      storagePath: '',
    };
    running = await startBridge({
      flags: demoFlags,
      config,
      logger,
      secrets,
      keyLookup: { generated: apiKey },
      onListening: (address) => {
        const base = `http://${address.replace(/^(0\.0\.0\.0|\[::\])/, '127.0.0.1')}`;
        io.out(`${demoBanner(simulator.url, apiKey, base, flags.telemetryPath)}\n`);
      },
    });
  } catch (err) {
    await simulator.close();
    throw err;
  }
  const code = await runUntilSignal(running, logger);
  await simulator.close();
  return code;
}
