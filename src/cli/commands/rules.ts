/**
 * `rules --slo=FILE`: the SLO file → Prometheus recording and multi-window, multi-burn-rate alerting rules on
 * stdout (redirect them into your rules directory). Problems go to stderr, one line each, with the field path
 * and the fix; the exit code is 1 then. `rules --alerts=models|bridge`: one of the shipped alert files, with
 * the parameters the flags give (the flags were checked when parsed: it cannot fail).
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../config/index.js';
import type { CommandIo } from '../command-io.js';
import { UsageError, type Flags } from '../flags.js';
import { pickTarget } from '../pick-target.js';
import { probeBuckets } from '../probe-buckets.js';
import {
  generateAlertRules,
  generateSloRules,
  SloFileError,
  type AlertOptions,
  type AlertSet,
} from '../../rules/index.js';

/** What `rules` was asked for: the flags of the two kinds do not mix (a UsageError says which does not fit). */
type RulesRequest = { kind: 'alerts'; set: AlertSet; options: Partial<AlertOptions> } | { kind: 'slo'; file: string };

export async function rulesCommand(flags: Flags, io: CommandIo): Promise<number> {
  const request = rulesRequest(flags);
  if (request.kind === 'alerts') return writeAlertRules(request.set, io.out, request.options);
  return writeSloRules(request.file, io.out, {
    ...(flags.runbookBaseUrl ? { runbookBaseUrl: flags.runbookBaseUrl } : {}),
    ...(flags.probe
      ? {
          seenBuckets: await probeBuckets(
            pickTarget(loadConfig(flags.configFile), flags.target),
            flags.storagePath,
            io,
          ),
        }
      : {}),
    err: (line) => io.err(`${line}\n`),
  });
}

function rulesRequest(flags: Flags): RulesRequest {
  if (flags.sloFile !== undefined && flags.alerts)
    throw new UsageError('rules: --slo and --alerts print different files; give one');
  if ((flags.gpuMemoryMib !== undefined || flags.gpuMemoryFullRatio !== undefined) && flags.alerts !== 'models') {
    throw new UsageError(
      `rules: --gpu.memory-mib and --gpu.memory-full-ratio set the GPU alert ` +
        `of --alerts=models; ` +
        `${flags.alerts ? `--alerts=${flags.alerts}` : '--slo'} has none`,
    );
  }
  if (flags.engineTtftP99Seconds !== undefined && flags.alerts !== 'models') {
    throw new UsageError(
      `rules: --engine.ttft-p99 sets an engine alert of --alerts=models; ` +
        `${flags.alerts ? `--alerts=${flags.alerts}` : '--slo'} has none`,
    );
  }
  if (flags.bridgeSelector !== undefined && flags.alerts !== 'bridge') {
    throw new UsageError(
      `rules: --bridge.selector selects the bridge's own series in ` +
        `--alerts=bridge; ` +
        `${flags.alerts ? `--alerts=${flags.alerts}` : '--slo'} has none`,
    );
  }
  if (flags.alerts) {
    if (flags.probe)
      throw new UsageError('rules: --probe reads bucket boundaries for --slo; --alerts does not use them');
    const options: Partial<AlertOptions> = {
      ...(flags.runbookBaseUrl !== undefined ? { runbookBaseUrl: flags.runbookBaseUrl } : {}),
      ...(flags.gpuMemoryMib !== undefined ? { gpuMemoryMib: flags.gpuMemoryMib } : {}),
      ...(flags.gpuMemoryFullRatio !== undefined ? { gpuMemoryFullRatio: flags.gpuMemoryFullRatio } : {}),
      ...(flags.engineTtftP99Seconds !== undefined ? { engineTtftP99Seconds: flags.engineTtftP99Seconds } : {}),
      ...(flags.bridgeSelector !== undefined ? { bridgeSelector: flags.bridgeSelector } : {}),
    };
    return { kind: 'alerts', set: flags.alerts, options };
  }
  if (flags.sloFile === undefined)
    throw new UsageError(
      'rules: give --slo=FILE (SLO alerts, see deploy/slo/slos.yml) or --alerts=models|bridge (the shipped alerts)',
    );
  return { kind: 'slo', file: flags.sloFile };
}

export function writeAlertRules(
  set: AlertSet,
  out: (text: string) => void,
  options: Partial<AlertOptions> = {},
): number {
  out(generateAlertRules(set, options));
  return 0;
}

export interface RulesOptions {
  /** The histograms' boundaries read from Baseten (`--probe`), to check thresholds against. */
  seenBuckets?: ReadonlyMap<string, number[]>;
  /** `--runbook.base-url`. */
  runbookBaseUrl?: string;
  err?: (line: string) => void;
}

export function writeSloRules(sloFile: string, out: (text: string) => void, opts: RulesOptions = {}): number {
  const err = opts.err ?? ((line: string) => console.error(line));
  let text: string;
  try {
    text = readFileSync(sloFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    err(`baseten-bridge: slo file ${sloFile}: cannot read it (${code}); check --slo`);
    return 1;
  }
  try {
    // A threshold that is not a boundary gives a matcher no series has: said on stderr, the rules still print.
    const warn = (warning: string) => err(`baseten-bridge: slo file ${sloFile}: warning: ${warning}`);
    out(
      generateSloRules(text, sloFile, {
        ...(opts.seenBuckets ? { seenBuckets: opts.seenBuckets } : {}),
        ...(opts.runbookBaseUrl ? { runbookBaseUrl: opts.runbookBaseUrl } : {}),
        warn,
      }),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof SloFileError)) throw error;
    for (const line of error.lines()) err(`baseten-bridge: ${line}`);
    return 1;
  }
}
