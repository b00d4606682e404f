// The live stream's deltas, in a real browser: the pool page follows a burst of changes by patching what it holds
// (rows, counts, events), not by fetching the pool again, and ends equal to a fresh load of the same URL. It leaves
// the cluster as it found it (the demo's worker-1 stays drifted for plumb.spec.ts).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { env, expect, test } from './fixtures';

const file = (node: string) => join(env.simDataDir, 'nodes', node, 'rootfs', 'etc/mco/proxy.env');

/** What the page shows of the pool: every row's cells and the counts. */
async function shown(page: Page) {
  const rows = await page
    .locator('[data-testid^="node-row-"]')
    .evaluateAll((els) =>
      els
        .map((e) => [...e.querySelectorAll('[role="cell"]')].map((c) => c.textContent?.trim()))
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  const counts = await page.locator('.grid-cols-6 > div').allTextContents();
  return { rows, counts };
}

/** The pool reply the page holds in its query cache, and a fresh one from the server, comparable (no cache rev). */
async function heldAndFresh(page: Page) {
  return page.evaluate(async () => {
    const qc = (window as unknown as { plumbQueryClient: { getQueryData(k: unknown[]): unknown } }).plumbQueryClient;
    const norm = (r: any) => {
      const { rev: _rev, ...rest } = r;
      return { ...rest, events: [...rest.events].sort((a: any, b: any) => String(a.id).localeCompare(String(b.id))) };
    };
    const held = qc.getQueryData(['pool', 'worker']);
    const fresh = await (await fetch('/api/pools/worker', { cache: 'no-store' })).json();
    return { held: norm(held), fresh: norm(fresh) };
  });
}

async function setPaused(page: Page, paused: boolean) {
  await page.getByTestId('pause-button').click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: paused ? 'Pause' : 'Resume', exact: true })
    .click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByTestId('pause-button')).toHaveText(paused ? 'Resume pool' : 'Pause pool');
}

test('the pool page patched by the stream equals a fresh load after a burst of changes', async ({ page, browser }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const deltas: { rows?: { name: string }[]; pools?: unknown[] }[] = [];
  cdp.on('Network.eventSourceMessageReceived', (e) => {
    if (e.eventName === 'delta') deltas.push(JSON.parse(e.data));
  });
  let poolFetches = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/pools/worker') poolFetches++;
  });

  // The page tells its stream which rows are on screen (the others then get only the fields the table filters by).
  const viewPosted = page.waitForResponse((r) => r.url().endsWith('/api/stream/view') && r.status() === 200);
  await page.goto(env.admin + '/pools/worker');
  await expect(page.getByTestId('node-row-worker-0')).toBeVisible();
  const view = JSON.parse((await viewPosted).request().postData() ?? '{}');
  expect(view.pool).toBe('worker');
  expect(view.names).toEqual(expect.arrayContaining(['worker-0', 'worker-1']));
  await expect(page.getByTestId('node-row-worker-1')).toContainText('Degraded');
  const fetchesAtLoad = poolFetches;

  const before = { 'worker-0': readFileSync(file('worker-0')), 'worker-2': readFileSync(file('worker-2')) };
  try {
    // The burst: two nodes drift, the pool is paused, one node is put right, the pool resumed, the other put right.
    appendFileSync(file('worker-0'), 'NO_PROXY=.deltas.example\n');
    appendFileSync(file('worker-2'), 'NO_PROXY=.deltas.example\n');
    await expect(page.getByTestId('node-row-worker-0')).toContainText('Degraded', { timeout: 20_000 });
    await expect(page.getByTestId('node-row-worker-2')).toContainText('Degraded', { timeout: 20_000 });
    await setPaused(page, true);
    writeFileSync(file('worker-2'), before['worker-2']);
    await setPaused(page, false);
    writeFileSync(file('worker-0'), before['worker-0']);
    await expect(page.getByTestId('node-row-worker-0')).not.toContainText('Degraded', { timeout: 30_000 });
    await expect(page.getByTestId('node-row-worker-2')).not.toContainText('Degraded', { timeout: 30_000 });
  } finally {
    writeFileSync(file('worker-0'), before['worker-0']);
    writeFileSync(file('worker-2'), before['worker-2']);
  }

  // The rows came as patches: row deltas named the drifted nodes, and the pool was fetched again only by the two
  // actions (which refresh what they change), not per change.
  const patched = new Set(deltas.flatMap((d) => d.rows?.map((r) => r.name) ?? []));
  expect([...patched]).toEqual(expect.arrayContaining(['worker-0', 'worker-2']));
  expect(poolFetches - fetchesAtLoad).toBeLessThanOrEqual(4);

  // No drift between patched and fetched state, in the data and on screen (once the last changes have landed).
  await expect
    .poll(
      async () => {
        const { held, fresh } = await heldAndFresh(page);
        return JSON.stringify(held) === JSON.stringify(fresh) || { held, fresh };
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  const fresh = await browser.newPage({ viewport: page.viewportSize()! });
  await fresh.goto(env.admin + '/pools/worker');
  await expect(fresh.getByTestId('node-row-worker-0')).toBeVisible();
  await expect
    .poll(
      async () =>
        JSON.stringify(await shown(page)) === JSON.stringify(await shown(fresh)) || [
          await shown(page),
          await shown(fresh),
        ],
      { timeout: 15_000 },
    )
    .toBe(true);
  await fresh.close();
});

test("a stream's view is set only by its own page: another site or an unknown stream is refused", async ({ page }) => {
  await page.goto(env.admin + '/pools/worker');
  const post = (headers: Record<string, string>, id = '00000000-0000-4000-8000-000000000000') =>
    page.request.post(env.admin + '/api/stream/view', { headers, data: { id, pool: 'worker', names: ['worker-0'] } });
  expect((await post({ origin: 'http://attacker.test' })).status()).toBe(403);
  expect((await post({ origin: env.admin })).status()).toBe(404);
  expect((await post({ origin: env.admin }, 'not-an-id')).status()).toBe(400);
});
