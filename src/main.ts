/**
 * Builds the object graph for one invocation of `baseten-bridge` and returns its exit code.
 * Errors at wiring time (bad flags, bad config, no key) print one line each and exit 1.
 */
import { createLogger, SecretRegistry } from './log/index.js';
import { checkConfigCommand } from './cli/commands/check-config.js';
import { demoCommand } from './cli/commands/demo.js';
import { onceCommand } from './cli/commands/once.js';
import { relabelTestCommand } from './cli/commands/relabel-test.js';
import { rulesCommand } from './cli/commands/rules.js';
import { serveCommand } from './cli/commands/serve.js';
import { processIo, type CommandRun } from './cli/command-io.js';
import { parseFlags, UsageError, type Command, type Flags } from './cli/flags.js';
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
    console.error(
      `baseten-bridge: unexpected error: ${secrets.redact(err instanceof Error ? err.message : String(err))}`,
    );
    return 1;
  }
}

/** Crash output is output too: an uncaught error is printed redacted, in one line, and the process exits 1. */
function installCrashRedaction(secrets: SecretRegistry): void {
  const crash = (err: unknown) => {
    process.stderr.write(
      `baseten-bridge: fatal: ${secrets.redact(err instanceof Error ? `${err.name}: ${err.message}` : String(err))}\n`,
    );
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** Every command has the one shape `(flags, io) → exit code`; a Record over Command leaves none out. */
const COMMANDS: Record<Command, CommandRun> = {
  serve: serveCommand,
  'check-config': checkConfigCommand,
  once: onceCommand,
  'relabel-test': relabelTestCommand,
  rules: rulesCommand,
  demo: demoCommand,
};

async function runCommand(
  command: Command,
  flags: Flags,
  logger: ReturnType<typeof createLogger>,
  secrets: SecretRegistry,
): Promise<number> {
  return COMMANDS[command](flags, processIo(logger, secrets));
}
