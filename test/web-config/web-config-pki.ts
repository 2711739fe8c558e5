/**
 * Throwaway certificates for the web config tests, made with the real `openssl` CLI in a temp folder:
 * a CA; a server certificate for 127.0.0.1 (and a second one, "rotated", for reload tests); a client
 * certificate from the same CA; and a client certificate from an unrelated CA ("rogue").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  /** Absolute paths. */
  files: { ca: string; serverCert: string; serverKey: string; rotatedCert: string; rotatedKey: string };
  /** PEM text, for clients. */
  ca: string;
  client: { cert: string; key: string };
  rogue: { cert: string; key: string };
  remove(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function generatePki(openssl: string): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-web-config-'));
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ca = (name: string) =>
    run('req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`);
  const issue = (name: string, caName: string, cn: string, extensions: string) => {
    writeFileSync(at(`${name}.ext`), extensions);
    run('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${caName}.crt`,
      '-CAkey',
      `${caName}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  };
  const server = 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n';
  const client = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n';
  ca('ca');
  ca('rogue-ca');
  issue('server', 'ca', 'server', server);
  issue('rotated', 'ca', 'rotated', server);
  issue('client', 'ca', 'client', client);
  issue('rogue', 'rogue-ca', 'rogue', client);
  const read = (name: string) => readFileSync(at(name), 'utf8');
  return {
    dir,
    files: {
      ca: at('ca.crt'),
      serverCert: at('server.crt'),
      serverKey: at('server.key'),
      rotatedCert: at('rotated.crt'),
      rotatedKey: at('rotated.key'),
    },
    ca: read('ca.crt'),
    client: { cert: read('client.crt'), key: read('client.key') },
    rogue: { cert: read('rogue.crt'), key: read('rogue.key') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
