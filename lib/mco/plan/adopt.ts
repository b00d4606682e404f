// Adopt drift: turn what a node has at a managed path into a declared MachineConfig, so the MCO applies it to every
// node of the pool instead of the node being restored. Either a new `99-<pool>-<path slug>` with the pool's role
// label, or, when a user MachineConfig of the pool already declares the path, that MachineConfig with the file's
// contents and mode replaced (so the change lands where an administrator would look for it).
import { isProbablyText } from '../../diff/text';
import { isEmptySelector, matchesSelector } from '../pools';
import { GENERATED_BY_ANNOTATION, ROLE_LABEL, type MachineConfig, type MachineConfigPool } from '../types';
import { MC_API_VERSION } from './plan';

/** Characters a data URL may carry as they are (RFC 2397 / RFC 3986 unreserved plus a few safe ones). */
const PLAIN = /[A-Za-z0-9\-_.!~*'()]/;

/** `data:,<percent-encoded>` for text (as the MCO's templates write files), `data:;base64,` for anything else. */
export function toDataUrl(bytes: Uint8Array): string {
  if (isProbablyText(bytes)) {
    let out = 'data:,';
    for (const b of bytes) {
      const ch = String.fromCharCode(b);
      out += b < 0x80 && PLAIN.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  }
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += A[(n >> 18) & 63] + A[(n >> 12) & 63];
    s += i + 1 < bytes.length ? A[(n >> 6) & 63] : '=';
    s += i + 2 < bytes.length ? A[n & 63] : '=';
  }
  return `data:;base64,${s}`;
}

/** `/etc/mco/proxy.env` → `etc-mco-proxy-env` (a DNS-1123 name part). */
export function pathSlug(path: string): string {
  return (
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'file'
  );
}

/** The role label value a pool's machineConfigSelector asks for (`machineconfiguration.openshift.io/role`), if any. */
export function poolRole(pool: MachineConfigPool): string | null {
  const sel = pool.spec?.machineConfigSelector;
  const direct = sel?.matchLabels?.[ROLE_LABEL];
  if (direct) return direct;
  const inExpr = sel?.matchExpressions?.find((e) => e.key === ROLE_LABEL && e.operator === 'In');
  return inExpr?.values?.includes(pool.metadata.name) ? pool.metadata.name : (inExpr?.values?.[0] ?? null);
}

export interface AdoptInput {
  pool: MachineConfigPool;
  /** Every MachineConfig of the cluster. */
  machineConfigs: MachineConfig[];
  path: string;
  /** What the node has at `path`. */
  contents: Uint8Array;
  mode: number;
}

export interface Adoption {
  machineConfig: MachineConfig;
  /** 'new': a new MachineConfig; 'existing': a user MachineConfig that already declares the path, changed. */
  source: 'new' | 'existing';
}

const isUserConfig = (mc: MachineConfig) =>
  !mc.metadata.name.startsWith('rendered-') &&
  (mc.metadata.annotations?.[GENERATED_BY_ANNOTATION] ?? '') === '' &&
  !(mc.metadata.ownerReferences ?? []).some((r) => r.kind === 'MachineConfigPool');

export function adoptFile(input: AdoptInput): Adoption {
  const { pool, path } = input;
  const source = toDataUrl(input.contents);
  const file = { path, mode: input.mode, overwrite: true, contents: { source } };
  const sel = pool.spec?.machineConfigSelector;
  const selected = isEmptySelector(sel)
    ? []
    : input.machineConfigs.filter((mc) => matchesSelector(sel, mc.metadata?.labels ?? {}));
  // The last user config (in name order) that declares the path is the one whose value wins in the merge.
  const owner = selected
    .filter(isUserConfig)
    .filter((mc) =>
      ((mc.spec?.config as { storage?: { files?: { path?: string }[] } } | undefined)?.storage?.files ?? []).some(
        (f) => f.path === path,
      ),
    )
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .pop();
  if (owner) {
    const config = structuredClone(owner.spec!.config) as { storage: { files: Record<string, unknown>[] } };
    config.storage.files = config.storage.files.map((f) =>
      f.path === path ? { ...f, mode: input.mode, overwrite: true, contents: { source } } : f,
    );
    // Only what identifies the object: name, labels, user annotations (not last-applied, not server fields).
    const annotations = { ...(owner.metadata.annotations ?? {}) };
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    return {
      source: 'existing',
      machineConfig: {
        apiVersion: MC_API_VERSION,
        kind: 'MachineConfig',
        metadata: {
          name: owner.metadata.name,
          ...(owner.metadata.labels ? { labels: owner.metadata.labels } : {}),
          ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
        spec: { ...owner.spec, config: config as unknown as Record<string, unknown> },
      } as MachineConfig,
    };
  }
  const role = poolRole(pool) ?? pool.metadata.name;
  const name = `99-${pool.metadata.name}-${pathSlug(path)}`.slice(0, 253).replace(/-+$/, '');
  return {
    source: 'new',
    machineConfig: {
      apiVersion: MC_API_VERSION,
      kind: 'MachineConfig',
      metadata: { name, labels: { [ROLE_LABEL]: role } },
      spec: { config: { ignition: { version: '3.4.0' }, storage: { files: [file] } } },
    } as MachineConfig,
  };
}
