#!/usr/bin/env node
// `npm start` / `npm run dev`: parse the console's flags into environment variables and run Next.
//   node scripts/console.mjs start|dev [--kubeconfig FILE] [--context NAME] [--port N] [--host H]
//                                      [--read-only] [--user-header NAME]
//                                      [--metrics-port N [--metrics-cert FILE --metrics-key FILE]]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npm start -- [--kubeconfig FILE] [--context NAME] [--port N] [--host H] [--read-only] [--user-header NAME]
  --kubeconfig FILE   cluster to watch (default: $KUBECONFIG, in-cluster service account, ~/.kube/config)
  --context NAME      kubeconfig context (default: its current context)
  --port N            listen port (default 3000, or $PORT)
  --host H            listen address (default 127.0.0.1)
  --read-only         browse only: every action answers 403 read_only
  --user-header NAME  take each user's bearer token from this request header (e.g. X-Forwarded-Access-Token)
  --metrics-port N    also serve /metrics, /healthz and /readyz (only those) on this port, on all addresses
  --metrics-cert FILE --metrics-key FILE
                      serve that port over HTTPS with this PEM certificate and key (e.g. a service serving cert)`;

const [mode, ...args] = process.argv.slice(2);
if (mode !== 'start' && mode !== 'dev') {
  console.error(USAGE);
  process.exit(2);
}
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
let port = process.env.PORT || '3000';
let host = '127.0.0.1';
const value = (i, flag) => {
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) {
    console.error(`${flag} needs a value\n${USAGE}`);
    process.exit(2);
  }
  return v;
};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
  const take = () => (inline !== undefined ? inline : value(i++, flag));
  switch (flag) {
    case '--kubeconfig': {
      const file = resolve(take());
      if (!existsSync(file)) {
        console.error(`kubeconfig ${file} does not exist`);
        process.exit(2);
      }
      env.PLUMB_KUBECONFIG = file;
      break;
    }
    case '--context':
      env.PLUMB_CONTEXT = take();
      break;
    case '--port':
      port = take();
      if (!/^\d+$/.test(port)) {
        console.error(`--port must be a number, got ${port}`);
        process.exit(2);
      }
      break;
    case '--host':
      host = take();
      break;
    case '--read-only':
      env.PLUMB_READ_ONLY = '1';
      break;
    case '--user-header':
      env.PLUMB_USER_TOKEN_HEADER = take();
      break;
    case '--metrics-port': {
      const p = take();
      if (!/^\d+$/.test(p)) {
        console.error(`--metrics-port must be a number, got ${p}`);
        process.exit(2);
      }
      env.PLUMB_METRICS_PORT = p;
      break;
    }
    case '--metrics-cert':
    case '--metrics-key': {
      const file = resolve(take());
      if (!existsSync(file)) {
        console.error(`${flag} ${file} does not exist`);
        process.exit(2);
      }
      env[flag === '--metrics-cert' ? 'PLUMB_METRICS_CERT' : 'PLUMB_METRICS_KEY'] = file;
      break;
    }
    case '--help':
    case '-h':
      console.log(USAGE);
      process.exit(0);
    default:
      console.error(`unknown option ${a}\n${USAGE}`);
      process.exit(2);
  }
}

if (mode === 'start' && !existsSync(join(ROOT, env.PLUMB_DIST_DIR || '.next', 'BUILD_ID'))) {
  console.error('No production build found: run `npm run build` first (or `npm run dev`).');
  process.exit(1);
}

if (mode === 'start') {
  // Production: our own server around Next's handler, in this very process (a launcher process would hold
  // another ~40 MB for nothing).
  Object.assign(process.env, env, { HOSTNAME: host, PORT: port, NODE_ENV: 'production' });
  await import('./serve.mjs');
} else {
  const child = spawn(join(ROOT, 'node_modules/.bin/next'), ['dev', '--port', port, '--hostname', host], { cwd: ROOT, env, stdio: 'inherit' });
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
