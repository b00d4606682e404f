// Real cluster dumps from ../shared/fixtures/openshift (PLUMB_FIXTURES overrides the folder).
// Tests that need them call `fixturesDir()` and skip, saying why, where the folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export function fixturesDir(): string | null {
  const dir = process.env.PLUMB_FIXTURES ?? fileURLToPath(new URL('../../shared/fixtures/openshift', import.meta.url));
  return existsSync(dir) ? dir : null;
}

export const FIXTURES_MISSING =
  'real cluster dumps not found: put shared/ beside the project or set PLUMB_FIXTURES to the fixtures folder';

/** The items of a dump (`kind: List` or a single object), as plain JSON. */
export function loadDump(file: string): any[] {
  const dir = fixturesDir();
  if (!dir) throw new Error(FIXTURES_MISSING);
  const doc = parse(readFileSync(join(dir, file), 'utf8'), { maxAliasCount: -1 });
  return doc?.kind === 'List' || Array.isArray(doc?.items) ? doc.items : [doc];
}

/** The fixture sets: `<set>-mc.yaml`, `<set>-mcp.yaml`, `<set>-node.yaml`. */
export const FIXTURE_SETS = [
  '4.16.0-compact',
  '4.14.1-paused-worker-pool',
  '4.14.1-workers-started-updating-multiple-pools',
] as const;
