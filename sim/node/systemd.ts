// The simulated host's systemd unit-file state, kept where systemd keeps it: a unit is masked when its file under
// /etc/systemd/system leads to /dev/null, enabled when a `<target>.wants/` or `<target>.requires/` link names it
// (what `systemctl enable` creates from the unit's [Install] WantedBy=/RequiredBy=), static when it has no [Install]
// targets. Both the daemon (writing units as MCO pkg/daemon/update.go writeUnits / enableUnits / disableUnits and
// file_writers.go writeUnit do, and checking them as on_disk_validation.go checkUnitEnabled does) and the pod's
// `chroot /rootfs systemctl` use it. Every access goes through the node's NodeFS (lstat, readlink, readdir), never
// the host's own resolution, so the wall around a node's folder stays where it is.
import { SYSTEMD_DIR } from '@/lib/mco/managed';
import { cleanPath as clean, DEV_NULL, evalSymlinks as evalSymlinksWith } from '@/lib/mco/symlinks';
import { dirname, isNodeFSError, removeTree, type NodeFS } from './nodefs';

export { SYSTEMD_DIR };

/**
 * Vendor units of an RHCOS node (in /usr/lib/systemd/system, which the simulated rootfs does not hold), with their
 * [Install] targets: `systemctl enable crio` works on a node whose /etc has no crio.service.
 */
export const VENDOR_UNITS: Record<string, { reload: boolean; wantedBy: string[] }> = {
  'crio.service': { reload: true, wantedBy: ['multi-user.target'] },
  'kubelet.service': { reload: false, wantedBy: ['multi-user.target'] },
  'coreos-update-ca-trust.service': { reload: false, wantedBy: ['multi-user.target'] },
  'NetworkManager.service': { reload: true, wantedBy: ['multi-user.target'] },
  'sshd.service': { reload: true, wantedBy: ['multi-user.target'] },
  'chronyd.service': { reload: false, wantedBy: ['multi-user.target'] },
};

const GO_ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
};

/**
 * filepath.EvalSymlinks on the node (lib/mco/symlinks), every read through the node's NodeFS: the whole chain, with
 * Go's `lstat <resolved-so-far>: no such file or directory` for a missing component.
 */
export function evalSymlinks(fs: NodeFS, path: string): Promise<{ path: string } | { error: string }> {
  return evalSymlinksWith(path, {
    lstat: async (p) => {
      try {
        const type = (await fs.lstat(p)).type;
        return type === 'symlink' || type === 'directory' ? type : 'other';
      } catch (err) {
        if (isNodeFSError(err) && GO_ERRNO[err.code]) return { errno: GO_ERRNO[err.code] };
        throw err;
      }
    },
    readlink: (p) => fs.readlink(p),
  });
}

export type UnitFileState = 'enabled' | 'disabled' | 'static' | 'masked' | 'not-found';

/** The [Install] targets of a unit file: WantedBy= into `.wants`, RequiredBy= into `.requires`. */
function installTargets(text: string): { dir: string; target: string }[] {
  const out: { dir: string; target: string }[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    else if (section === '[Install]') {
      const m = /^(WantedBy|RequiredBy)\s*=\s*(.*)$/.exec(line);
      if (m) {
        const dir = m[1] === 'WantedBy' ? 'wants' : 'requires';
        for (const t of m[2].split(/\s+/).filter(Boolean)) out.push({ dir, target: t });
      }
    }
  }
  return out;
}

interface UnitFile {
  /** Where enablement links point: /etc/systemd/system/<unit> or the vendor file. */
  path: string;
  masked: boolean;
  install: { dir: string; target: string }[];
}

/**
 * The unit's file: under /etc, else a known vendor unit, else (`assumeVendor`, or when enablement links name it)
 * a vendor unit of the OS the simulated rootfs does not hold, installed into multi-user.target.
 */
async function unitFile(fs: NodeFS, unit: string, assumeVendor = false): Promise<UnitFile | null> {
  const path = `${SYSTEMD_DIR}/${unit}`;
  if (await fs.exists(path)) {
    const ev = await evalSymlinks(fs, path);
    if ('error' in ev) return null;
    if (ev.path === DEV_NULL) return { path, masked: true, install: [] };
    let text = '';
    try {
      text = new TextDecoder().decode(await fs.readFile(path));
    } catch {
      return null;
    }
    return { path, masked: false, install: installTargets(text) };
  }
  const vendor = VENDOR_UNITS[unit];
  if (!vendor && !assumeVendor && (await enablementLinks(fs, unit)).length === 0) return null;
  return {
    path: `/usr/lib/systemd/system/${unit}`,
    masked: false,
    install: (vendor?.wantedBy ?? ['multi-user.target']).map((target) => ({ dir: 'wants', target })),
  };
}

/** The `<target>.wants/<unit>` and `<target>.requires/<unit>` links that exist for `unit`. */
async function enablementLinks(fs: NodeFS, unit: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(SYSTEMD_DIR);
  } catch (err) {
    if (isNodeFSError(err, 'ENOENT') || isNodeFSError(err, 'ENOTDIR')) return [];
    throw err;
  }
  const out: string[] = [];
  for (const n of names) {
    if (!n.endsWith('.wants') && !n.endsWith('.requires')) continue;
    const link = `${SYSTEMD_DIR}/${n}/${unit}`;
    if (await fs.exists(link)) out.push(link);
  }
  return out;
}

/** What `systemctl is-enabled <unit>` prints. */
export async function unitFileState(fs: NodeFS, unit: string): Promise<UnitFileState> {
  const file = await unitFile(fs, unit);
  if (!file) return 'not-found';
  if (file.masked) return 'masked';
  if ((await enablementLinks(fs, unit)).length > 0) return 'enabled';
  return file.install.length === 0 ? 'static' : 'disabled';
}

/** The outcome of one systemctl verb: lines for stderr (systemctl reports links there) and an exit code. */
export interface SystemctlResult {
  messages: string[];
  code: number;
}

/**
 * `systemctl enable <units…>`: a link per [Install] target; masked or unknown units fail the whole command.
 * `assumeVendor` (the daemon, for units its config names): a unit with no file under /etc is the OS's own.
 */
export async function enableUnits(fs: NodeFS, units: string[], assumeVendor = false): Promise<SystemctlResult> {
  const files: [string, UnitFile][] = [];
  for (const u of units) {
    const f = await unitFile(fs, u, assumeVendor);
    if (!f) return { messages: [`Failed to enable unit: Unit file ${u} does not exist.`], code: 1 };
    if (f.masked) return { messages: [`Failed to enable unit: Unit file ${f.path} is masked.`], code: 1 };
    files.push([u, f]);
  }
  const messages: string[] = [];
  for (const [u, f] of files) {
    if (f.install.length === 0) {
      messages.push(
        `The unit files have no installation config (WantedBy=, RequiredBy=, UpheldBy=, Also=, or Alias= settings in the [Install] section, and DefaultInstance= for template units). This means they are not meant to be enabled or disabled using systemctl.`,
      );
      continue;
    }
    for (const { dir, target } of f.install) {
      const link = `${SYSTEMD_DIR}/${target}.${dir}/${u}`;
      const ev = await evalSymlinks(fs, link);
      if (!('error' in ev) && ev.path === clean(f.path)) continue;
      await fs.mkdirp(dirname(link));
      if (await fs.exists(link)) await fs.unlink(link);
      await fs.symlink(f.path, link);
      messages.push(`Created symlink ${link} → ${f.path}.`);
    }
  }
  return { messages, code: 0 };
}

/** `systemctl disable <units…>`: removes every enablement link of the units. */
export async function disableUnits(fs: NodeFS, units: string[], assumeVendor = false): Promise<SystemctlResult> {
  const messages: string[] = [];
  for (const u of units) {
    if (!(await unitFile(fs, u, assumeVendor)))
      return { messages: [`Failed to disable unit: Unit file ${u} does not exist.`], code: 1 };
    for (const link of await enablementLinks(fs, u)) {
      await fs.unlink(link);
      messages.push(`Removed "${link}".`);
    }
  }
  return { messages, code: 0 };
}

/** `systemctl mask <units…>`: a link to /dev/null, refused over a real unit file in /etc. */
export async function maskUnits(fs: NodeFS, units: string[]): Promise<SystemctlResult> {
  const messages: string[] = [];
  for (const u of units) {
    const path = `${SYSTEMD_DIR}/${u}`;
    if (await fs.exists(path)) {
      const st = await fs.lstat(path);
      const ev = await evalSymlinks(fs, path);
      if (!('error' in ev) && ev.path === DEV_NULL) continue;
      if (st.type !== 'symlink') return { messages: [`Failed to mask unit: File ${path} already exists.`], code: 1 };
      await fs.unlink(path);
    }
    await fs.mkdirp(SYSTEMD_DIR);
    await fs.symlink(DEV_NULL, path);
    messages.push(`Created symlink ${path} → ${DEV_NULL}.`);
  }
  return { messages, code: 0 };
}

/** `systemctl unmask <units…>`: removes a mask (a link that leads to /dev/null), nothing else. */
export async function unmaskUnits(fs: NodeFS, units: string[]): Promise<SystemctlResult> {
  const messages: string[] = [];
  for (const u of units) {
    const path = `${SYSTEMD_DIR}/${u}`;
    if (!(await fs.exists(path)) || (await fs.lstat(path)).type !== 'symlink') continue;
    const ev = await evalSymlinks(fs, path);
    if ('error' in ev || ev.path !== DEV_NULL) continue;
    await fs.unlink(path);
    messages.push(`Removed "${path}".`);
  }
  return { messages, code: 0 };
}

/**
 * How the daemon masks a unit (file_writers.go writeUnit): os.RemoveAll of whatever is at the path (a symlink
 * itself, never what it points to; a directory with its contents), then a link to /dev/null.
 */
export async function writeMask(fs: NodeFS, path: string): Promise<void> {
  await fs.mkdirp(dirname(path));
  await removeAll(fs, path);
  await fs.symlink(DEV_NULL, path);
}

/** os.RemoveAll: no error when nothing is there; never follows a final symlink. */
export async function removeAll(fs: NodeFS, path: string): Promise<void> {
  try {
    await removeTree(fs, path);
  } catch (err) {
    if (!isNodeFSError(err, 'ENOENT') && !isNodeFSError(err, 'ENOTDIR')) throw err;
  }
}
