/**
 * The one shape of a subcommand: `(flags, io) → exit code`. A command reads what it needs (its config, its
 * files) from the flags and writes only through `io`, so main.ts dispatches every command the same way and a
 * test can run one with its own writers. Failures a user can fix at load time (flags, config, key, web config)
 * are thrown, for main.ts's one catch to print; what a command finds while it runs (a probe that failed, a
 * line it could not read) it prints itself and says with its exit code.
 */
import { readFileSync } from 'node:fs';
import type { Logger, SecretRegistry } from '../log/index.js';
import type { Flags } from './flags.js';

export interface CommandIo {
  /** Standard output, written as given (exposition bytes, rule files, lines with their newline). */
  out(text: string | Uint8Array): void;
  /** Standard error, written as given. */
  err(text: string): void;
  /** Standard input, read whole (relabel-test's series). */
  input(): string;
  logger: Logger;
  /** Every key read is registered here, so logs and messages can redact it. */
  secrets: SecretRegistry;
}

export type CommandRun = (flags: Flags, io: CommandIo) => Promise<number>;

/** The process's own streams. */
export function processIo(logger: Logger, secrets: SecretRegistry): CommandIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    input: () => readFileSync(0, 'utf8'),
    logger,
    secrets,
  };
}
