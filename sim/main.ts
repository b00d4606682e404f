// `npm run sim -- [options]`: start the simulated OpenShift cluster. Prints two contract lines once it serves:
//   Simulated cluster ready at <url>
//   kubeconfig: <absolute path>
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster, type Cluster } from './cluster';
import { DEFAULT_EVENT_TTL_MS } from './events';
import { demoScenario } from './scenarios/demo';
import { loadScenarioFile } from './scenarios/file';
import { largeScenario } from './scenarios/large';
import { miniScenario } from './scenarios/mini';
import type { Scenario } from './scenarios/types';

const USAGE = `Usage: npm run sim -- [options]
  --port N             listen on this port (default: a free one)
  --host H             listen address (default 127.0.0.1)
  --data-dir DIR       where the whole state lives (default .data/sim); restarting on it keeps everything
  --scenario NAME|FILE demo (default), mini, or a YAML/JSON scenario file; used only for an empty data folder;
                       demo-pool-drift is the demo plus one hand edit shared by worker-0 and worker-2
  --from-dump DIR      serve the objects of oc get -o yaml|json dumps as recorded (no controllers, no daemons)
  --nodes N            a large cluster of N nodes for benchmarks (3 masters, workers, infra)
  --ocp-version V      the OpenShift version the new cluster claims and behaves as (4.14, 4.16, 4.20…; default:
                       the scenario's); used only for an empty data folder
  --reboot-seconds S   how long a simulated reboot takes (default 3)
  --drain-seconds S    how long a simulated drain takes (default 1)
  --event-ttl D        how long an event lives after its last update: 90s, 30m, 1h (default 1h, as kube-apiserver)`;

class UsageError extends Error {}

function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} must be a number of seconds (got ${JSON.stringify(value)})`);
  return n;
}

/** A Go-style duration of hours, minutes, seconds or milliseconds (`1h`, `30m`, `90s`, `1h30m`, `500ms`), in ms. */
function duration(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw new UsageError(`${flag} must be a duration such as 90s, 30m or 1h (got ${JSON.stringify(value)})`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
  if (ms <= 0) throw new UsageError(`${flag} must be longer than 0 (got ${JSON.stringify(value)})`);
  return ms;
}

async function main(argv: string[]): Promise<Cluster> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        scenario: { type: 'string' },
        'from-dump': { type: 'string' },
        nodes: { type: 'string' },
        'ocp-version': { type: 'string' },
        'reboot-seconds': { type: 'string' },
        'drain-seconds': { type: 'string' },
        'event-ttl': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number (got ${JSON.stringify(values.port)})`);
  const picked = [values.scenario !== undefined, values['from-dump'] !== undefined, values.nodes !== undefined].filter(
    Boolean,
  ).length;
  if (picked > 1) throw new UsageError('--scenario, --from-dump and --nodes are alternatives: give one of them');

  let scenario: () => Scenario;
  if (values.nodes !== undefined) {
    const n = Number(values.nodes);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--nodes must be a positive integer (got ${JSON.stringify(values.nodes)})`);
    scenario = () => largeScenario(n);
  } else if (values.scenario === undefined || values.scenario === 'demo') {
    scenario = demoScenario;
  } else if (values.scenario === 'demo-pool-drift') {
    scenario = () => demoScenario({ sharedDrift: true });
  } else if (values.scenario === 'mini') {
    scenario = miniScenario;
  } else {
    const file = resolve(values.scenario);
    scenario = () => loadScenarioFile(file);
  }

  const ocpVersion = values['ocp-version'];
  if (ocpVersion !== undefined) {
    if (!/^4\.\d+(\.\d+)?$/.test(ocpVersion))
      throw new UsageError(`--ocp-version must be 4.N or 4.N.Z (got ${JSON.stringify(ocpVersion)})`);
    const base = scenario;
    scenario = () => ({ ...base(), version: /^4\.\d+$/.test(ocpVersion) ? `${ocpVersion}.0` : ocpVersion });
  }

  const dataDir = resolve(values['data-dir'] ?? '.data/sim');
  const cluster = await startCluster({
    dataDir,
    host: values.host ?? '127.0.0.1',
    port,
    scenario,
    dumpDir: values['from-dump'] ? resolve(values['from-dump']) : undefined,
    timings: {
      rebootMs: seconds(values['reboot-seconds'], '--reboot-seconds', 3) * 1000,
      drainMs: seconds(values['drain-seconds'], '--drain-seconds', 1) * 1000,
    },
    eventTtlMs: duration(values['event-ttl'], '--event-ttl', DEFAULT_EVENT_TTL_MS),
    log: (m) => console.error(`simulator: ${m}`),
  });
  const nodes = cluster.store.list('nodes').length;
  if (!cluster.loaded && picked > 0) {
    console.error(
      `simulator: ${dataDir} already holds a cluster, served as it is; the --scenario/--from-dump/--nodes option was not used (pick a new --data-dir to load another)`,
    );
  }
  console.log(`Simulated cluster ready at ${cluster.url}`);
  console.log(`kubeconfig: ${cluster.kubeconfigPath}`);
  console.log(
    `\n  ${nodes} nodes, OpenShift ${cluster.state.version}${cluster.state.mode === 'dump' ? ' (recorded dump, served as is)' : ''}; data in ${cluster.dataDir}\n` +
      `  Try:  export KUBECONFIG=${cluster.kubeconfigPath}\n` +
      `        kubectl get mcp        (contexts: ${cluster.state.users.map((u) => u.name).join(', ')})\n`,
  );
  return cluster;
}

let cluster: Cluster | undefined;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  try {
    await cluster?.stop();
    process.exit(0);
  } catch (err) {
    console.error(`simulator: error while stopping on ${signal}: ${(err as Error).message}`);
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

main(process.argv.slice(2)).then(
  (c) => {
    cluster = c;
    if (stopping) void c.stop().then(() => process.exit(0));
  },
  (err) => {
    console.error(`simulator: ${(err as Error).message}`);
    if (err instanceof UsageError) console.error(USAGE);
    process.exit(1);
  },
);
