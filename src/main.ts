/**
 * Builds the object graph for one invocation of `baseten-bridge` and returns its exit code.
 * Errors at wiring time (bad flags, bad config, no key) print one line each and exit 1.
 */
import { loadConfig } from './config/index.js';
import { createLogger, SecretRegistry } from './log/index.js';
import { checkConfigCommand } from './cli/commands/check-config.js';
import { demoCommand } from './cli/commands/demo.js';
import { onceCommand } from './cli/commands/once.js';
import { relabelTestCommand } from './cli/commands/relabel-test.js';
import { alertRulesCommand, rulesCommand, rulesRequest } from './cli/commands/rules.js';
import { serveCommand } from './cli/commands/serve.js';
import { parseFlags, UsageError, type Command, type Flags } from './cli/flags.js';
import { pickTarget } from './cli/pick-target.js';
import { probeBuckets } from './cli/probe-buckets.js';
import { USAGE } from './cli/usage.js';
import { ProblemsError } from './problems-error.js';
import { VERSION } from './version.js';

export async function main(argv: string[]): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`baseten-bridge: ${err.message}`);
    return 1;
  }
  if (flags.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (flags.version) {
    console.log(`baseten-bridge, version ${VERSION} (node ${process.version})`);
    return 0;
  }
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat, secrets });
  installCrashRedaction(secrets);
  try {
    return await runCommand(flags.command, flags, logger, secrets);
  } catch (err) {
    // One line per problem, each naming its file, so one problem is one line (and grep finds every one).
    if (err instanceof ProblemsError) {
      for (const line of err.lines()) console.error(`baseten-bridge: ${secrets.redact(line)}`);
      return 1;
    }
    // A bug: say so in one line, without a stack that could carry request details, and with keys redacted.
    console.error(`baseten-bridge: unexpected error: ${secrets.redact(err instanceof Error ? err.message : String(err))}`);
    return 1;
  }
}

/** Crash output is output too: an uncaught error is printed redacted, in one line, and the process exits 1. */
function installCrashRedaction(secrets: SecretRegistry): void {
  const crash = (err: unknown) => {
    process.stderr.write(`baseten-bridge: fatal: ${secrets.redact(err instanceof Error ? `${err.name}: ${err.message}` : String(err))}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

async function runCommand(command: Command, flags: Flags, logger: ReturnType<typeof createLogger>, secrets: SecretRegistry): Promise<number> {
  switch (command) {
    case 'demo':
      return demoCommand(flags, logger, secrets);
    case 'check-config':
      return checkConfigCommand(loadConfig(flags.configFile), {
        ...(flags.shard ? { shard: flags.shard } : {}),
        probe: flags.probe,
        ...(flags.webConfigFile ? { webConfigFile: flags.webConfigFile } : {}),
        storagePath: flags.storagePath,
        logger,
        secrets,
        out: (line) => console.log(line),
      });
    case 'once':
      return onceCommand(loadConfig(flags.configFile), logger, secrets, {
        storagePath: flags.storagePath,
        out: (chunk) => process.stdout.write(chunk),
        err: (line) => console.error(line),
      });
    case 'relabel-test':
      return relabelTestCommand(pickTarget(loadConfig(flags.configFile), flags.target), flags.trace);
    case 'rules': {
      const request = rulesRequest(flags);
      if (request.kind === 'alerts') return alertRulesCommand(request.set, (text) => process.stdout.write(text), request.options);
      return rulesCommand(request.file, (text) => process.stdout.write(text), {
        ...(flags.runbookBaseUrl ? { runbookBaseUrl: flags.runbookBaseUrl } : {}),
        ...(flags.probe ? { seenBuckets: await probeBuckets(pickTarget(loadConfig(flags.configFile), flags.target), { logger, secrets, storagePath: flags.storagePath }) } : {}),
      });
    }
    case 'serve':
      return serveCommand(flags, loadConfig(flags.configFile), logger, secrets);
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${String(unreachable)}`);
    }
  }
}
