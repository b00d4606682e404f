// What a MachineConfig says, decoded once per object, and the one error for a config that cannot be decoded: 422
// config_undecodable naming the config and the decode error, on every endpoint that reads it.
import 'server-only';
import { createHash } from 'node:crypto';
import type { MachineConfig, ManagedPath } from '../lib/mco/types';
import { managedPaths } from '../lib/mco';
import { ApiFailure } from './errors';

/** Run `decode` on `mc`; a parse or decode failure (lib/mco McoError) becomes 422 naming the config. */
export function decodedOrUndecodable<T>(mc: MachineConfig, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if ((err as Error)?.name !== 'McoError') throw err;
    throw new ApiFailure(
      422,
      'config_undecodable',
      `MachineConfig ${mc.metadata.name} cannot be decoded: ${(err as Error).message}`,
    );
  }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// A rendered config's managed paths (every data URL decoded, gzip included) and their expected hashes are the same
// for every drift, file and restore request against it: compute them once per config object. Weak keys let go of
// configs the informer has replaced; the resourceVersion guards against an object updated in place.
const pathsByConfig = new WeakMap<MachineConfig, { resourceVersion: string | undefined; paths: ManagedPath[] }>();
const expectedHashes = new WeakMap<Uint8Array, string>();

/** The config's managed paths, decoded once per object; 422 naming the decode error when the config cannot be. */
export function managedPathsOf(mc: MachineConfig): ManagedPath[] {
  const hit = pathsByConfig.get(mc);
  if (hit && hit.resourceVersion === mc.metadata.resourceVersion) return hit.paths;
  const paths = decodedOrUndecodable(mc, () => managedPaths(mc));
  pathsByConfig.set(mc, { resourceVersion: mc.metadata.resourceVersion, paths });
  return paths;
}

export function expectedSha256(b: Uint8Array): string {
  let h = expectedHashes.get(b);
  if (h === undefined) expectedHashes.set(b, (h = sha256(b)));
  return h;
}
