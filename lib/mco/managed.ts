// The paths a config manages on a node, in the order the daemon validates them (MCO
// pkg/daemon/on_disk_validation.go validateOnDiskState): files in array order (minus the certificate writer's
// files), then for each unit its dropins and then the unit file.
import { decodeFileContents, ignitionOrigin, parseIgnition } from './ignition';
import { APPEND_NOT_SUPPORTED_REASON, couldNotDecodeReason } from './reason';
import { McoError, type IgnitionConfig, type MachineConfig, type ManagedPath } from './types';

/** Files the daemon skips because the certificate writer owns them (getFilesToIgnore). */
export const IGNORED_FILES: readonly string[] = [
  '/etc/kubernetes/kubelet-ca.crt',
  '/etc/kubernetes/static-pod-resources/configmaps/cloud-config/ca-bundle.pem',
  '/etc/mco/internal-registry-pull-secret.json',
];

export const SYSTEMD_DIR = '/etc/systemd/system';
export const DEFAULT_FILE_MODE = 0o644;

export const unitPath = (unit: string) => `${SYSTEMD_DIR}/${unit}`;
export const dropinPath = (unit: string, dropin: string) => `${SYSTEMD_DIR}/${unit}.d/${dropin}`;

const encoder = new TextEncoder();

function isMachineConfig(c: IgnitionConfig | MachineConfig): c is MachineConfig {
  return (c as MachineConfig).kind === 'MachineConfig' || ('metadata' in c && !('ignition' in c));
}

/**
 * Every path the config manages, as ManagedPath entries in the daemon's order. A MachineConfig without a config
 * (metadata only) manages nothing. Undecodable contents do not throw: the entry has contents null and
 * decodeError `couldn't decode file "/p": <why>`. Units without contents add no unit-file entry (the daemon
 * skips them), masked ones are marked masked; empty dropins may be absent on disk (spec 3; spec 2 compares
 * them). Spec 2 configs are normalised by parseIgnition, whose order (last duplicate first) is the order
 * checkV2Files walks them in. Invalid configs throw McoError (see parseIgnition).
 */
export function managedPaths(config: IgnitionConfig | MachineConfig): ManagedPath[] {
  if (typeof config !== 'object' || config === null) {
    throw new McoError(
      `managed paths: expected an Ignition config or a MachineConfig, got ${config === null ? 'null' : typeof config}`,
    );
  }
  let raw: unknown = config;
  if (isMachineConfig(config)) {
    raw = config.spec?.config;
    if (raw === undefined || raw === null) return [];
  }
  const ign = parseIgnition(raw);
  const spec2 = ignitionOrigin(ign)?.spec === 2;
  const out: ManagedPath[] = [];

  for (const f of ign.storage?.files ?? []) {
    if (IGNORED_FILES.includes(f.path)) continue;
    const entry: ManagedPath = {
      path: f.path,
      kind: 'file',
      mode: typeof f.mode === 'number' ? f.mode : DEFAULT_FILE_MODE,
      contents: null,
    };
    if ((f.append ?? []).length > 0) {
      // checkV3Files / checkV2Files refuse an append before decoding anything: the file cannot be validated.
      entry.decodeError = APPEND_NOT_SUPPORTED_REASON;
    } else {
      try {
        entry.contents = decodeFileContents(f.contents?.source, f.contents?.compression);
      } catch (e) {
        entry.decodeError = couldNotDecodeReason(f.path, (e as Error).message);
      }
    }
    if (f.user) entry.user = f.user;
    if (f.group) entry.group = f.group;
    if (f.overwrite !== undefined) entry.overwrite = f.overwrite;
    out.push(entry);
  }

  for (const u of ign.systemd?.units ?? []) {
    for (const d of u.dropins ?? []) {
      const empty = d.contents === undefined || d.contents === null || d.contents === '';
      out.push({
        path: dropinPath(u.name, d.name),
        kind: 'dropin',
        mode: DEFAULT_FILE_MODE,
        contents: encoder.encode(d.contents ?? ''),
        unit: u.name,
        dropin: d.name,
        ...(empty && !spec2 ? { mayBeAbsent: true } : {}),
      });
    }
    if (u.contents === undefined || u.contents === null || u.contents === '') continue;
    out.push({
      path: unitPath(u.name),
      kind: 'unit',
      mode: DEFAULT_FILE_MODE,
      contents: encoder.encode(u.contents),
      unit: u.name,
      ...(u.mask === true ? { masked: true } : {}),
      ...(u.enabled !== undefined ? { enabled: u.enabled } : {}),
    });
  }
  return out;
}
