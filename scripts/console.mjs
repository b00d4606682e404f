#!/usr/bin/env node
// `npm start` / `npm run dev`: parse the console's flags into environment variables and run Next.
//   node scripts/console.mjs start|dev [--kubeconfig FILE] [--context NAME] [--port N] [--host H]
//                                      [--read-only] [--user-header NAME] [--trusted-user-header NAME]
//                                      [--public-url URL] [--allowed-host HOST]... [--csrf-secret-file FILE]
//                                      [--metrics-port N [--metrics-cert FILE --metrics-key FILE]]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npm start -- [--kubeconfig FILE] [--context NAME] [--port N] [--host H] [--read-only] [--user-header NAME]
                    [--trusted-user-header NAME] [--public-url URL] [--allowed-host HOST]... [--csrf-secret-file FILE]
  --kubeconfig FILE   cluster to watch (default: $KUBECONFIG, in-cluster service account, ~/.kube/config)
  --context NAME      kubeconfig context (default: its current context)
  --port N            listen port (default 3000, or $PORT)
  --host H            listen address (default 127.0.0.1)
  --read-only         browse only: every action answers 403 read_only
  --user-header NAME  take each user's bearer token from this request header (e.g. X-Forwarded-Access-Token); every
                      read and action is then authorised for that user, and a request without a valid token gets 401
  --trusted-user-header NAME
                      the header in which the authenticating proxy in front names the user (e.g. X-Forwarded-User);
                      recorded in the audit beside the name the cluster gives for the token (or, without
                      --user-header, for the console's own identity). Never trusted otherwise
  --public-url URL    the URL users reach the console under (behind a proxy or a route): its host name is answered,
                      its origin may act; https makes cookies Secure and __Host- prefixed
  --allowed-host HOST another host name (or origin, http://name:port) to answer for; repeatable. Requests for any
                      other Host are refused (DNS rebinding)
  --csrf-secret-file FILE
                      the secret CSRF tokens are signed with (at least 32 bytes); give replicas the same file.
                      Default: a random secret per process
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
    case '--trusted-user-header':
      env.PLUMB_TRUSTED_USER_HEADER = take();
      break;
    case '--public-url': {
      const u = take();
      if (!/^https?:\/\/[^/]+/.test(u)) {
        console.error(`--public-url must be an http(s) URL, got ${u}`);
        process.exit(2);
      }
      env.PLUMB_PUBLIC_URL = u;
      break;
    }
    case '--allowed-host':
      env.PLUMB_ALLOWED_HOSTS = [env.PLUMB_ALLOWED_HOSTS, take()].filter(Boolean).join(',');
      break;
    case '--csrf-secret-file': {
      const file = resolve(take());
      if (!existsSync(file)) {
        console.error(`CSRF secret file ${file} does not exist`);
        process.exit(2);
      }
      env.PLUMB_CSRF_SECRET_FILE = file;
      break;
    }
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

env.PLUMB_LISTEN_HOST = host;
env.PLUMB_LISTEN_PORT = port;

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
  const child = spawn(join(ROOT, 'node_modules/.bin/next'), ['dev', '--port', port, '--hostname', host], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
