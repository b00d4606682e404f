// The simulated cluster: the object store, the Kubernetes API server, the MCO controllers, one machine-config-daemon
// (and its pod) per node, and the kubeconfig to reach it all. Everything lives in one data folder.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DAEMON_LABEL, MCO_NAMESPACE, NodeAnnotations as A } from '@/lib/mco/constants';
import { selfSignedCertificate, startApiServer } from './apiserver';
import {
  ClusterStateError,
  newToken,
  newUsers,
  readClusterState,
  writeClusterState,
  type ClusterState,
} from './cluster-state';
import { nowTimestamp, type Controller } from './controllers/common';
import { startDrainController } from './controllers/drain';
import { startNodeController } from './controllers/node';
import { startOperatorController } from './controllers/operator';
import { startRenderController } from './controllers/render';
import { createDaemonPod, ensureDaemonPods } from './daemon-pods';
import { DEFAULT_EVENT_TTL_MS, startEventExpiry } from './events';
import { writeKubeconfig } from './kubeconfig';
import { ensurePrivateDir, lockDataDir } from './private-files';
import {
  createExecHandler,
  DiskNodeFS,
  FileJournal,
  MemoryJournal,
  MemoryNodeFS,
  startDaemon,
  type NodeFS,
  type NodeJournal,
} from './node';
import { dumpVersion, loadDumpDir } from './scenarios/dump';
import { kubernetesVersion, realisticNode } from './scenarios/node-object';
import type { Scenario } from './scenarios/types';
import { createStore, type SimStore } from './store';
import type { KubeObject } from './types';

export { ClusterStateError };

/** The folders every RHCOS node has (so that e.g. `touch /rootfs/run/machine-config-daemon-force` works). */
const NODE_SKELETON = ['/etc', '/run', '/tmp', '/usr/local/bin', '/var/lib/kubelet', '/root', '/home/core'];

export const NAMESPACES = ['default', 'kube-system', 'openshift-config', MCO_NAMESPACE];
/** Past this many nodes, node files live in memory instead of DIR/nodes/<n>/rootfs. */
export const MEMORY_FS_ABOVE = 300;
const DEFAULT_VERSION = '4.16.0';

export interface ClusterOptions {
  dataDir: string;
  host?: string;
  port?: number;
  /** The cluster's starting content, used only when the data folder has no state yet. */
  scenario?: () => Scenario;
  /** `--from-dump`: serve these recorded objects; controllers and daemons stand still. */
  dumpDir?: string;
  timings?: { rebootMs?: number; drainMs?: number };
  /** Override MEMORY_FS_ABOVE (node files in memory past this many nodes). */
  memoryFsAbove?: number;
  /** How long an event lives after its last update (`--event-ttl`; default 1 h, like kube-apiserver). */
  eventTtlMs?: number;
  log?: (message: string) => void;
}

export interface Cluster {
  url: string;
  kubeconfigPath: string;
  dataDir: string;
  store: SimStore;
  state: ClusterState;
  /** True when this start loaded the scenario or dump (the data folder had no cluster yet). */
  loaded: boolean;
  /** The root filesystem of a node (created on first use). */
  nodeFS(node: string): NodeFS;
  /** The node's record of reloaded/restarted services and boots. */
  journal(node: string): NodeJournal;
  /** Resolves when the controllers and daemons have nothing pending. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface RunningDaemon {
  stop(): Promise<void>;
  idle(): Promise<void>;
}

function ensureNamespaces(store: SimStore): void {
  for (const name of NAMESPACES) {
    if (store.get('namespaces', name)) continue;
    store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
}

function isEmpty(store: SimStore): boolean {
  return (
    store.list('nodes').length === 0 &&
    store.list('machineconfigpools').length === 0 &&
    store.list('machineconfigs').length === 0
  );
}

function loadScenario(store: SimStore, scenario: Scenario, version: string): void {
  const now = nowTimestamp();
  for (const mc of scenario.machineConfigs) store.create('machineconfigs', mc as unknown as KubeObject);
  for (const pool of scenario.pools) store.create('machineconfigpools', pool as unknown as KubeObject);
  scenario.nodes.forEach((n, i) => store.create('nodes', realisticNode(n, i, version, now)));
  for (const o of scenario.rbac ?? []) {
    const ns = o.metadata.namespace;
    if (ns && !store.get('namespaces', ns))
      store.create('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
        status: { phase: 'Active' },
      });
    const resource = (
      {
        Role: 'roles',
        ClusterRole: 'clusterroles',
        RoleBinding: 'rolebindings',
        ClusterRoleBinding: 'clusterrolebindings',
      } as const
    )[o.kind as 'Role'];
    store.create(resource, o);
  }
}

/** A recorded object as the store should hold it: everything kept but the resourceVersion (the store assigns its own). */
function asRecorded(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return { ...obj, metadata: metadata as KubeObject['metadata'] };
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.log ?? (() => {});
  lockDataDir(dataDir);
  const saved = readClusterState(dataDir);
  const store = createStore({ dataDir });
  const fresh = isEmpty(store);

  let state: ClusterState;
  let scenario: Scenario | undefined;
  const dump = fresh && opts.dumpDir ? loadDumpDir(opts.dumpDir) : undefined;
  if (fresh && !opts.dumpDir) scenario = opts.scenario?.();
  if (saved && !fresh) {
    state = saved;
    if (opts.dumpDir && saved.mode !== 'dump') log(`--from-dump ignored: ${dataDir} already holds a cluster`);
  } else {
    const version = dump ? (dumpVersion(dump.objects) ?? DEFAULT_VERSION) : (scenario?.version ?? DEFAULT_VERSION);
    const users = saved?.users ?? newUsers();
    for (const u of scenario?.users ?? [])
      if (!users.some((x) => x.name === u.name))
        users.push({ name: u.name, token: u.token ?? newToken(), groups: u.groups ?? [] });
    state = { version, mode: dump ? 'dump' : 'scenario', users };
    if (scenario) state.memoryNodes = scenario.nodes.length > (opts.memoryFsAbove ?? MEMORY_FS_ABOVE);
  }
  const minor = Number(/^4\.(\d+)/.exec(state.version)?.[1] ?? 16);
  const mcn = minor >= 20;

  ensureNamespaces(store);
  if (dump) {
    for (const d of dump.objects) store.create(d.resource, asRecorded(d.object));
    for (const s of dump.skipped) log(s);
  } else if (scenario && fresh) {
    loadScenario(store, scenario, state.version);
  }
  // The operator's configuration object exists on every cluster the MCO installs (its CRD requires only spec);
  // also added to data folders made before it was served. A dump is served as recorded.
  if (state.mode === 'scenario' && !store.get('machineconfigurations', 'cluster'))
    store.create('machineconfigurations', {
      apiVersion: 'operator.openshift.io/v1',
      kind: 'MachineConfiguration',
      metadata: { name: 'cluster' },
      spec: {},
    });
  // Folders made before the simulator kept enablement links get them once (the 4.18+ daemon validates them).
  const addUnitLinks = !fresh && !state.unitLinks;
  state.unitLinks = true;
  writeClusterState(dataDir, state);

  const running = state.mode === 'scenario';
  // Events expire like kube-apiserver's --event-ttl; a recorded dump is served as recorded, its events included.
  const stopEventExpiry = running ? startEventExpiry(store, opts.eventTtlMs ?? DEFAULT_EVENT_TTL_MS) : () => {};
  const rebootMs = opts.timings?.rebootMs ?? 3000;
  const drainMs = opts.timings?.drainMs ?? 1000;

  // ---- controllers (scenario mode only: a dump is served as recorded)
  const controllers: Controller[] = [];
  if (running) {
    const common = { store, version: state.version, log };
    controllers.push(startOperatorController(common));
    controllers.push(startRenderController(common));
    controllers.push(startNodeController({ ...common, mcn }));
    controllers.push(startDrainController({ ...common, drainMs }));
    // Let the first render and the first-boot annotations land before any daemon starts writing files.
    for (let i = 0; i < 3; i++) for (const c of controllers.slice(0, 3)) await c.idle();
  }

  // ---- node filesystems, daemon pods, daemons
  const filesystems = new Map<string, NodeFS>();
  const skeletons = new Map<string, Promise<void>>();
  const nodeFS = (name: string): NodeFS => {
    let fs = filesystems.get(name);
    if (!fs) {
      let made: NodeFS;
      if (state.memoryNodes) {
        made = new MemoryNodeFS();
      } else {
        const root = join(dataDir, 'nodes', name, 'rootfs');
        mkdirSync(root, { recursive: true });
        made = new DiskNodeFS(root);
      }
      fs = made;
      // The base folders go through the node filesystem too, so a symlink left in the node's folder cannot lead
      // them outside it; a folder that cannot be made is the daemon's to report when it writes there.
      skeletons.set(
        name,
        Promise.all(NODE_SKELETON.map((d) => made.mkdirp(d))).then(
          () => {},
          (err) => log(`${name}: base folders: ${(err as Error).message}`),
        ),
      );
      filesystems.set(name, fs);
    }
    return fs;
  };

  // Each node's record of the services its daemon reloaded or restarted, and its boots (DIR/nodes/<n>/journal.jsonl,
  // beside the rootfs; in memory for in-memory nodes).
  const journals = new Map<string, NodeJournal>();
  const journalOf = (name: string): NodeJournal => {
    let j = journals.get(name);
    if (!j) {
      j = state.memoryNodes ? new MemoryJournal() : new FileJournal(join(dataDir, 'nodes', name, 'journal.jsonl'));
      journals.set(name, j);
    }
    return j;
  };
  const daemonOptions = (name: string, fs: NodeFS) => ({
    store,
    nodeName: name,
    fs,
    timings: { rebootMs },
    mcn,
    version: state.version,
    journal: journalOf(name),
    addUnitLinks,
    log: (l: string) => log(`${name}: ${l}`),
  });

  ensureDaemonPods(store, state.version, nowTimestamp());
  const daemons = new Map<string, RunningDaemon>();
  let stopping = false;
  const maybeStartDaemon = (node: KubeObject) => {
    const name = node.metadata.name;
    if (!running || stopping || daemons.has(name)) return;
    if (!node.metadata.annotations?.[A.currentConfig]) return; // waits for the node controller's first-boot annotations
    const fs = nodeFS(name);
    try {
      const pending = skeletons.get(name);
      if (pending) {
        // The base folders are made before the daemon looks at them.
        const holder: RunningDaemon = { stop: async () => {}, idle: () => pending };
        daemons.set(name, holder);
        void pending.then(() => {
          if (daemons.get(name) !== holder || stopping) return;
          daemons.set(name, startDaemon(daemonOptions(name, fs)));
        });
        return;
      }
      daemons.set(name, startDaemon(daemonOptions(name, fs)));
    } catch (err) {
      log(`daemon for ${name} did not start: ${(err as Error).message}`);
    }
  };
  for (const node of store.list('nodes')) maybeStartDaemon(node);

  const hasPod = (nodeName: string) =>
    store
      .list('pods', MCO_NAMESPACE)
      .some(
        (p) =>
          (p.spec as { nodeName?: string } | undefined)?.nodeName === nodeName &&
          p.metadata.labels?.['k8s-app'] === DAEMON_LABEL['k8s-app'],
      );
  const unsubscribe = store.subscribe((e) => {
    if (e.resource !== 'nodes' || stopping) return;
    const name = e.object.metadata.name;
    if (e.type === 'DELETED') {
      const d = daemons.get(name);
      daemons.delete(name);
      void d?.stop();
      // The machine keeps its disk (DIR/nodes/<n>), as a real one would; only its in-memory handle goes.
      filesystems.delete(name);
      skeletons.delete(name);
      for (const p of store.list('pods', MCO_NAMESPACE)) {
        if ((p.spec as { nodeName?: string } | undefined)?.nodeName === name)
          store.delete('pods', p.metadata.name, MCO_NAMESPACE);
      }
      return;
    }
    if (e.type === 'ADDED') {
      // A node registered through the API: post a kubelet's status for it, as its kubelet would.
      if (running && !(e.object.status as { conditions?: unknown[] } | undefined)?.conditions?.length) {
        const index = store.list('nodes').length;
        const real = realisticNode(e.object as never, index, state.version, nowTimestamp());
        store.update('nodes', name, undefined, (o) => {
          o.metadata.labels = real.metadata.labels;
          o.status = real.status;
        });
      }
      if (!hasPod(name)) createDaemonPod(store, store.get('nodes', name) ?? e.object, state.version, nowTimestamp());
    }
    maybeStartDaemon(store.get('nodes', name) ?? e.object);
  });

  // ---- exec into the daemon pods: pod → node → that node's filesystem
  const exec = createExecHandler((namespace: string, podName: string) => {
    const pod = store.get('pods', podName, namespace);
    const nodeName = (pod?.spec as { nodeName?: string } | undefined)?.nodeName as string | undefined;
    if (!pod || !nodeName) return undefined;
    const currentConfig = () => store.get('nodes', nodeName)?.metadata.annotations?.[A.currentConfig] ?? '';
    return { nodeName, fs: nodeFS(nodeName), journal: journalOf(nodeName), currentConfig };
  });

  // HTTPS with a self-signed certificate kept in the data folder: kubectl (client-go) sends a bearer token only
  // over TLS, so plain HTTP would leave `kubectl get mcp` with a 401. Without openssl, HTTP still serves client-node.
  const host = opts.host ?? '127.0.0.1';
  let tls: { key: string; cert: string } | undefined;
  try {
    ensurePrivateDir(join(dataDir, 'tls')); // openssl writes the key in a folder only its owner can enter
    tls = selfSignedCertificate(join(dataDir, 'tls'), [...new Set([host, '127.0.0.1', 'localhost'])]);
  } catch (err) {
    log(`serving plain HTTP (kubectl will not send its token): ${(err as Error).message}`);
  }
  const server = await startApiServer({
    store,
    tls,
    host,
    port: opts.port ?? 0,
    users: state.users,
    exec,
    version: kubernetesVersion(state.version),
  });
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { url: server.url, users: state.users });
  lockDataDir(dataDir); // again: a TLS key openssl has just made keeps whatever mode openssl gave it

  const idle = async () => {
    for (let i = 0; i < 2; i++) {
      for (const c of controllers) await c.idle();
      await Promise.all([...daemons.values()].map((d) => d.idle()));
    }
  };

  // Scenario drift is applied once, on the first start, after the nodes have settled.
  if (scenario && fresh && running && scenario.drift?.length) {
    await idle();
    for (const d of scenario.drift) {
      try {
        const fs = nodeFS(d.node);
        if (d.append !== undefined) {
          const old = await fs.readFile(d.path);
          const add = new TextEncoder().encode(d.append);
          const next = new Uint8Array(old.length + add.length);
          next.set(old);
          next.set(add, old.length);
          const st = await fs.lstat(d.path);
          await fs.writeFile(d.path, next, st.mode & 0o7777);
        }
        if (d.mode !== undefined) await fs.chmod(d.path, d.mode);
      } catch (err) {
        log(`scenario drift on ${d.node}:${d.path} not applied: ${(err as Error).message}`);
      }
    }
  }

  return {
    url: server.url,
    kubeconfigPath,
    dataDir,
    store,
    state,
    loaded: fresh,
    nodeFS,
    journal: journalOf,
    idle,
    async stop() {
      stopping = true;
      stopEventExpiry();
      unsubscribe();
      for (const c of controllers) c.stop();
      await Promise.all([...daemons.values()].map((d) => d.stop().catch(() => {})));
      daemons.clear();
      await server.close();
      await store.close();
    },
  };
}
