/**
 * The headers of one remote: its static `headers` plus the Authorization header, built anew for each
 * request so that a rotated password_file or credentials_file is picked up (as common/config reads them
 * per request). Every secret is registered with the logger's redactor before it is used.
 */
import { readFile } from 'node:fs/promises';
import type { RemoteWriteAuth } from '../config/index.js';
import type { SecretRegistry } from '../log/index.js';
import { ProblemsError } from '../problems-error.js';

/** A secret file of a remote that cannot be read now; the send is retried. */
export class AuthHeaderError extends ProblemsError {
  override name = 'AuthHeaderError';
  constructor(problem: string, options?: { cause?: unknown }) {
    super('', [problem], options);
  }
}

async function secretFrom(inline: string | undefined, file: string | undefined, field: string): Promise<string> {
  if (inline !== undefined) return inline;
  if (file === undefined) return '';
  try {
    // As common/config: the file's content with surrounding whitespace (the trailing newline) trimmed.
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw new AuthHeaderError(`cannot read ${field} ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: err,
    });
  }
}

export async function requestHeaders(
  headers: Record<string, string>,
  auth: RemoteWriteAuth | undefined,
  secrets: SecretRegistry,
): Promise<Record<string, string>> {
  if (auth === undefined) return { ...headers };
  switch (auth.kind) {
    case 'basic': {
      const password = await secretFrom(auth.password, auth.passwordFile, 'basic_auth.password_file');
      const token = Buffer.from(`${auth.username}:${password}`).toString('base64');
      secrets.add(password);
      secrets.add(token);
      return { ...headers, Authorization: `Basic ${token}` };
    }
    case 'authorization': {
      const credentials = await secretFrom(auth.credentials, auth.credentialsFile, 'authorization.credentials_file');
      secrets.add(credentials);
      return { ...headers, Authorization: `${auth.type} ${credentials}` };
    }
    default: {
      const unreachable: never = auth;
      throw new Error(`remote_write: unknown auth ${JSON.stringify(unreachable)}`);
    }
  }
}
