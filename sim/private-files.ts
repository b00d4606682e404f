// The data folder holds secrets: state.json (the pull secret and every Secret object), cluster.json (the users'
// tokens), the kubeconfig (the same tokens) and the TLS key. Like ~/.kube and ~/.ssh, they are for their owner
// only: folders 0700, files 0600, and a folder left with looser modes by an older run is tightened on start.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The secret files of a data folder, relative to it. */
export const SECRET_FILES = ['state.json', 'cluster.json', 'kubeconfig', 'tls/tls.key'];
/** Folders inside the data folder that hold secrets. */
const SECRET_DIRS = ['tls'];

/** `mkdir -p` that leaves `dir` itself readable by its owner only, whatever its mode was. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Tightens the data folder and the secrets already in it (files written later are created 0600 by their writers). */
export function lockDataDir(dataDir: string): void {
  ensurePrivateDir(dataDir);
  for (const d of SECRET_DIRS) if (existsSync(join(dataDir, d))) chmodSync(join(dataDir, d), PRIVATE_DIR_MODE);
  for (const f of SECRET_FILES) if (existsSync(join(dataDir, f))) chmodSync(join(dataDir, f), PRIVATE_FILE_MODE);
}
