// A self-signed certificate for serving the simulated cluster over HTTPS (kubectl sends tokens only over TLS).
// Made with the openssl command line, kept in `dir` and reused on the next start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function selfSignedCertificate(
  dir: string,
  hosts: string[] = ['127.0.0.1', 'localhost'],
): { key: string; cert: string } {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, 'tls.key');
  const certPath = join(dir, 'tls.crt');
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '3650',
          '-subj',
          '/CN=plumb-simulated-cluster',
          '-addext',
          `subjectAltName=${san}`,
          '-keyout',
          keyPath,
          '-out',
          certPath,
        ],
        { stdio: 'pipe' },
      );
    } catch (e) {
      throw new Error(`could not create a self-signed certificate with openssl: ${(e as Error).message}`);
    }
  }
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}
