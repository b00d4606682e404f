// Server-side printing: meta.k8s.io/v1 Table responses with the CRDs' additionalPrinterColumns and the built-in
// columns of kube's printers, so `kubectl get` and `oc get` print what they print against a real cluster.
import { asKind, isObject, type RawBinding, type RawEvent, type RawNamespace, type RawNode, type RawPod } from '../raw';
import type { KubeObject, Resource } from '../types';
import { crdFor } from './crds';
import { lookupResource, MCO_GROUP, OPERATOR_GROUP } from './resources';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}
type Cell = string | number | boolean | null;

const col = (name: string, type = 'string', priority = 0, format = '', description = ''): Column => ({
  name,
  type,
  format,
  description,
  priority,
});
/** A column `kubectl get` prints, and one it prints only with `-o wide` (kube's TableColumnDefinition Priority 1). */
const column = (name: string, description: string) => col(name, 'string', 0, '', description);
const wide = (name: string, description: string) => col(name, 'string', 1, '', description);
const NAME = col('Name', 'string', 0, 'name', 'Name must be unique within a namespace.');
const CREATION_TIMESTAMP =
  'CreationTimestamp is a timestamp representing the server time when this object was created.';
const AGE = column('Age', CREATION_TIMESTAMP);

/** kube's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60 * 2) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) {
    const rs = s % 60;
    return rs === 0 ? `${m}m` : `${m}m${rs}s`;
  }
  if (m < 60 * 3) return `${m}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) {
    const rm = m % 60;
    return rm === 0 ? `${h}h` : `${h}h${rm}m`;
  }
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) {
    const rh = h % 24;
    return rh === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${rh}h`;
  }
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) {
    const dy = Math.floor(h / 24) % 365;
    return dy === 0 ? `${Math.floor(h / 24 / 365)}y` : `${Math.floor(h / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(h / 24 / 365)}y`;
}

function age(ts: unknown, now: number): Cell {
  if (typeof ts !== 'string' || !ts) return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/**
 * The subset of kube JSONPath the MCO CRDs use: `.a.b`, escaped dots (`.a.b\.c/d`) and one
 * `[?(@.field=="value")]` filter on a list.
 */
export function jsonPath(obj: unknown, path: string): unknown {
  const parts: ({ key: string } | { filter: [string, string] })[] = [];
  const re = /\.((?:\\\.|[^.[])+)|\[\?\(@\.([A-Za-z0-9_]+)=="([^"]*)"\)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) parts.push({ key: m[1].replace(/\\\./g, '.') });
    else parts.push({ filter: [m[2], m[3]] });
  }
  let cur: unknown = obj;
  for (const p of parts) {
    if (cur == null) return undefined;
    if ('key' in p) cur = isObject(cur) ? cur[p.key] : undefined;
    else cur = Array.isArray(cur) ? cur.find((x) => isObject(x) && x[p.filter[0]] === p.filter[1]) : undefined;
  }
  return cur;
}

interface CrdColumn {
  name: string;
  jsonPath: string;
  type: 'string' | 'number' | 'integer' | 'date' | 'boolean';
  priority?: number;
}

const condition = (t: string) => `.status.conditions[?(@.type=="${t}")].status`;

const CRD_COLUMNS: Partial<Record<Resource, CrdColumn[]>> = {
  machineconfigpools: [
    { name: 'Config', jsonPath: '.status.configuration.name', type: 'string' },
    { name: 'Updated', jsonPath: condition('Updated'), type: 'string' },
    { name: 'Updating', jsonPath: condition('Updating'), type: 'string' },
    { name: 'Degraded', jsonPath: condition('Degraded'), type: 'string' },
    { name: 'MachineCount', jsonPath: '.status.machineCount', type: 'number' },
    { name: 'ReadyMachineCount', jsonPath: '.status.readyMachineCount', type: 'number' },
    { name: 'UpdatedMachineCount', jsonPath: '.status.updatedMachineCount', type: 'number' },
    { name: 'DegradedMachineCount', jsonPath: '.status.degradedMachineCount', type: 'number' },
    { name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date' },
  ],
  machineconfigs: [
    {
      name: 'GeneratedByController',
      jsonPath: '.metadata.annotations.machineconfiguration\\.openshift\\.io/generated-by-controller-version',
      type: 'string',
    },
    { name: 'IgnitionVersion', jsonPath: '.spec.config.ignition.version', type: 'string' },
    { name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date' },
  ],
  machineconfignodes: [
    { name: 'PoolName', jsonPath: '.spec.pool.name', type: 'string' },
    { name: 'DesiredConfig', jsonPath: '.spec.configVersion.desired', type: 'string' },
    { name: 'CurrentConfig', jsonPath: '.status.configVersion.current', type: 'string' },
    { name: 'Updated', jsonPath: condition('Updated'), type: 'string' },
    { name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date' },
    { name: 'UpdatePrepared', jsonPath: condition('UpdatePrepared'), type: 'string', priority: 1 },
    { name: 'UpdateExecuted', jsonPath: condition('UpdateExecuted'), type: 'string', priority: 1 },
    { name: 'UpdatePostActionComplete', jsonPath: condition('UpdatePostActionComplete'), type: 'string', priority: 1 },
    { name: 'UpdateComplete', jsonPath: condition('UpdateComplete'), type: 'string', priority: 1 },
    { name: 'Resumed', jsonPath: condition('Resumed'), type: 'string', priority: 1 },
    { name: 'UpdatedFilesAndOS', jsonPath: condition('AppliedFilesAndOS'), type: 'string', priority: 1 },
    { name: 'CordonedNode', jsonPath: condition('Cordoned'), type: 'string', priority: 1 },
    { name: 'DrainedNode', jsonPath: condition('Drained'), type: 'string', priority: 1 },
    { name: 'RebootedNode', jsonPath: condition('RebootedNode'), type: 'string', priority: 1 },
    { name: 'UncordonedNode', jsonPath: condition('Uncordoned'), type: 'string', priority: 1 },
  ],
};

/** apiextensions' cellForJSONValue: numbers stay numbers, dates become human ages, missing is null. */
function crdCell(c: CrdColumn, o: KubeObject, now: number): Cell {
  const v = jsonPath(o, c.jsonPath);
  if (v === undefined || v === null) return null;
  switch (c.type) {
    case 'date':
      return age(v, now);
    case 'number':
    case 'integer':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

// ---- built-in printers (kubernetes pkg/printers/internalversion/printers.go)

function nodeRow(obj: KubeObject, now: number): Cell[] {
  const o = asKind<RawNode>(obj);
  const conds = o.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  const st = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (o.spec?.unschedulable) st.push('SchedulingDisabled');
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort();
  const addr = (t: string) => (o.status?.addresses ?? []).find((a) => a.type === t)?.address ?? '<none>';
  const info: Record<string, string | undefined> = o.status?.nodeInfo ?? {};
  return [
    o.metadata.name,
    st.join(','),
    roles.length ? roles.join(',') : '<none>',
    age(o.metadata.creationTimestamp, now),
    info.kubeletVersion ?? '',
    addr('InternalIP'),
    addr('ExternalIP'),
    info.osImage ?? '<unknown>',
    info.kernelVersion ?? '<unknown>',
    info.containerRuntimeVersion ?? '<unknown>',
  ];
}

function podRow(obj: KubeObject, now: number): Cell[] {
  const o = asKind<RawPod>(obj);
  const statuses = o.status?.containerStatuses ?? [];
  const total = (o.spec?.containers ?? []).length;
  const ready = statuses.filter((c) => c.ready).length;
  const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  let reason: string = o.status?.reason ?? o.status?.phase ?? 'Unknown';
  for (const c of statuses) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
  }
  if (o.metadata.deletionTimestamp) reason = 'Terminating';
  const gates = o.spec?.readinessGates ?? [];
  return [
    o.metadata.name,
    `${ready}/${total}`,
    reason,
    restarts,
    age(o.metadata.creationTimestamp, now),
    o.status?.podIP ?? '<none>',
    o.spec?.nodeName || '<none>',
    o.status?.nominatedNodeName || '<none>',
    gates.length ? `${gates.length}` : '<none>',
  ];
}

function eventRow(obj: KubeObject, now: number): Cell[] {
  const o = asKind<RawEvent>(obj);
  const last = o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp ?? o.metadata.creationTimestamp;
  const first = o.firstTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
  const io = o.involvedObject ?? {};
  const src = o.source?.component
    ? [o.source.component, o.source.host].filter(Boolean).join(', ')
    : (o.reportingComponent ?? '');
  return [
    age(last, now),
    o.type ?? '',
    o.reason ?? '',
    `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
    o.message ?? '',
    io.fieldPath ?? '',
    src,
    age(first, now),
    o.count ?? 1,
    o.metadata.name,
  ];
}

// Roles and bindings as kube's printers show them (pkg/printers/internalversion/printers.go printRole,
// printRoleBinding): a creation time for roles; the role and, wide, who is bound for bindings.
const CREATED_AT = col('Created At', 'date', 0, '', CREATION_TIMESTAMP);
const ROLE_TABLE = {
  columns: [NAME, CREATED_AT],
  row: (o: KubeObject): Cell[] => [o.metadata.name, o.metadata.creationTimestamp ?? null],
};
const BINDING_TABLE = {
  columns: [
    NAME,
    column('Role', 'Role references the role this binding uses.'),
    AGE,
    wide('Users', 'Users in the binding'),
    wide('Groups', 'Groups in the binding'),
    wide('ServiceAccounts', 'ServiceAccounts in the binding'),
  ],
  row: (obj: KubeObject, now: number): Cell[] => {
    const o = asKind<RawBinding>(obj);
    const subjects = Array.isArray(o.subjects) ? o.subjects : [];
    const of = (kind: string) => subjects.filter((x) => x?.kind === kind);
    return [
      o.metadata.name,
      `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`,
      age(o.metadata.creationTimestamp, now),
      of('User')
        .map((x) => x.name)
        .join(', '),
      of('Group')
        .map((x) => x.name)
        .join(', '),
      of('ServiceAccount')
        .map((x) => `${x.namespace ?? o.metadata.namespace ?? ''}/${x.name}`)
        .join(', '),
    ];
  },
};

const BUILTIN: Partial<Record<Resource, { columns: Column[]; row: (o: KubeObject, now: number) => Cell[] }>> = {
  roles: ROLE_TABLE,
  clusterroles: ROLE_TABLE,
  rolebindings: BINDING_TABLE,
  clusterrolebindings: BINDING_TABLE,
  nodes: {
    columns: [
      NAME,
      column('Status', 'The status of the node'),
      column('Roles', 'The roles of the node'),
      AGE,
      column('Version', 'Kubelet Version reported by the node.'),
      wide('Internal-IP', 'List of internal IPs in the node.'),
      wide('External-IP', 'List of external IPs in the node.'),
      wide('OS-Image', 'OS Image reported by the node from /etc/os-release.'),
      wide('Kernel-Version', 'Kernel Version reported by the node.'),
      wide('Container-Runtime', 'Container Runtime Version reported by the node.'),
    ],
    row: nodeRow,
  },
  pods: {
    columns: [
      NAME,
      column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'The aggregate status of the containers in this pod.'),
      column('Restarts', 'The number of times the containers in this pod have been restarted.'),
      AGE,
      wide('IP', 'IP address allocated to the pod.'),
      wide('Node', 'Name of the Node this pod is running on.'),
      wide('Nominated Node', 'Name of the node this pod is nominated to run on.'),
      wide('Readiness Gates', 'Readiness gates of this pod.'),
    ],
    row: podRow,
  },
  events: {
    columns: [
      column('Last Seen', 'The last time this event was seen.'),
      column('Type', 'Type of this event (Normal, Warning).'),
      column('Reason', 'Why the action was taken.'),
      column('Object', 'The object this event is about.'),
      column('Message', 'A human-readable description of the status of this operation.'),
      wide('Subobject', 'The field of the object this event is about.'),
      wide('Source', 'The component reporting this event.'),
      wide('First Seen', 'The first time this event was seen.'),
      wide('Count', 'The number of times this event has occurred.'),
      col('Name', 'string', 1, 'name', 'The name of this event.'),
    ],
    row: eventRow,
  },
  namespaces: {
    columns: [NAME, column('Status', 'The status of the namespace'), AGE],
    row: (o, now) => [
      o.metadata.name,
      asKind<RawNamespace>(o).status?.phase ?? 'Active',
      age(o.metadata.creationTimestamp, now),
    ],
  },
};

/** The printer columns of a CR: the table above, else the vendored CRD's own additionalPrinterColumns. */
function crdColumns(resource: Resource): CrdColumn[] | undefined {
  if (CRD_COLUMNS[resource]) return CRD_COLUMNS[resource];
  const info = lookupResource(MCO_GROUP, resource) ?? lookupResource(OPERATOR_GROUP, resource);
  const cols = info && crdFor(info.group, info.name)?.printerColumns;
  // apiextensions adds Age when a CRD declares no columns.
  return cols
    ? cols.length
      ? cols
      : [{ name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date' }]
    : undefined;
}

export function columnsFor(resource: Resource): Column[] {
  const crd = crdColumns(resource);
  if (crd) return [NAME, ...crd.map((c) => col(c.name, c.type, c.priority ?? 0, '', ''))];
  return BUILTIN[resource]?.columns ?? [NAME, col('Age', 'date')];
}

function cells(resource: Resource, o: KubeObject, now: number): Cell[] {
  const crd = crdColumns(resource);
  if (crd) return [o.metadata.name, ...crd.map((c) => crdCell(c, o, now))];
  const b = BUILTIN[resource];
  return b ? b.row(o, now) : [o.metadata.name, age(o.metadata.creationTimestamp, now)];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(
  resource: Resource,
  objects: readonly KubeObject[],
  resourceVersion: string,
  opts: { include?: IncludeObject; withColumns?: boolean } = {},
) {
  const now = Date.now();
  const include = opts.include ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: opts.withColumns === false ? [] : columnsFor(resource),
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: cells(resource, o, now) };
      const obj = rowObject(o, include);
      if (obj) row.object = obj;
      return row;
    }),
  };
}

/** True when the Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}
