#!/usr/bin/env node
// `npm test`: everything a fresh machine needs to prove Plumb works, in order:
// typecheck -> lint, format and architecture walls -> production build -> unit and integration tests (vitest, against
// simulator processes)
// -> browser tests (Playwright in Debian's Chromium, installed here when missing and we are root).
// Ends with one line `tests: N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const reports = join(root, 'test-results');
const CHROMIUM = process.env.PLUMB_CHROMIUM ?? '/usr/bin/chromium';
// The folders whose imports the architecture's walls govern (.dependency-cruiser.cjs).
const WALLED = ['lib', 'server', 'app', 'components', 'sim', 'scripts', 'bench', 'tests', 'e2e'].filter((d) =>
  existsSync(join(root, d)),
);

function step(title, cmd, args, opts = {}) {
  console.log(`\n== ${title}: ${[cmd, ...args].map((a) => a.replace(root, '')).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function fail(message) {
  console.error(`\nnpm test: ${message}`);
  process.exit(1);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    fail(`the browser tests need Debian's Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium`);
  }
  console.log(`\n== Chromium is missing: installing Debian's chromium package`);
  if (
    step('apt-get update', 'apt-get', ['update', '-qq']) !== 0 ||
    step('apt-get install', 'apt-get', ['install', '-y', '-qq', 'chromium'], {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    }) !== 0 ||
    !existsSync(CHROMIUM)
  ) {
    fail(`could not install chromium; install it with: apt-get install -y chromium`);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const counts = { passed: 0, failed: 0, skipped: 0 };

rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

if (step('Typecheck', bin('tsc'), ['--noEmit', '-p', '.']) !== 0) fail('typecheck failed');
if (step('Lint', bin('eslint'), ['--max-warnings', '0', '.']) !== 0)
  fail('the linter found problems (npx eslint . --fix fixes some)');
if (step('Format', bin('prettier'), ['--check', '.']) !== 0)
  fail('files are not formatted (npx prettier --write . formats them)');
if (step('Architecture walls', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', ...WALLED]) !== 0) {
  fail('an import crosses a wall of the architecture (the rule is named above; see .dependency-cruiser.cjs)');
}
if (step('Build', bin('next'), ['build']) !== 0) fail('the production build failed');

const vitestStatus = step('Unit and integration tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(reports, 'vitest.json')}`,
]);
const vitest = readJson(join(reports, 'vitest.json'));
if (vitest) {
  counts.passed += vitest.numPassedTests ?? 0;
  counts.failed += vitest.numFailedTests ?? 0;
  counts.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
} else if (vitestStatus !== 0) counts.failed += 1;

let e2eStatus = 0;
const hasSpecs = existsSync(join(root, 'e2e')) && readdirSync(join(root, 'e2e')).some((f) => f.endsWith('.spec.ts'));
if (hasSpecs) {
  ensureChromium();
  e2eStatus = step('Browser tests', bin('playwright'), ['test'], {
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'playwright.json') },
  });
  const pw = readJson(join(reports, 'playwright.json'));
  if (pw?.stats) {
    // A flaky test failed once and passed on retry: Playwright's own exit code counts it as passed.
    counts.passed += (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
    counts.failed += pw.stats.unexpected ?? 0;
    counts.skipped += pw.stats.skipped ?? 0;
  } else if (e2eStatus !== 0) counts.failed += 1;
}

console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(vitestStatus !== 0 || e2eStatus !== 0 || counts.failed > 0 ? 1 : 0);
