// The first screen of the overview, /pools, a node's pages and the node tables (a pool's, /nodes): the server renders the first rows of the table's view
// (filter and sort from the URL) into the document, so they show before the page's scripts load; the page then takes
// the whole reply and goes live without a hydration error (the fixture fails the test on any console error).
import type { Page } from '@playwright/test';
import { FIRST_SCREEN_ROWS } from '../lib/api/node-table';
import type { NodeReply, NodesReply, PoolReply, PoolsReply } from '../lib/api/types';
import { env, expect, test } from './fixtures';

/** The rows' names in the order the page shows them. */
const rowNames = (page: Page) =>
  page.locator('[data-testid^="node-row-"]').evaluateAll((els) =>
    els
      .map((e) => ({ name: e.getAttribute('data-testid')!.slice('node-row-'.length), y: e.getBoundingClientRect().y }))
      .sort((a, b) => a.y - b.y)
      .map((r) => r.name),
  );

test("a pool page's rows are in its document, in the URL's order, with the counts of all its nodes", async ({
  browser,
  page,
}) => {
  const pool = (await (await page.request.get(`${env.admin}/api/pools/worker`)).json()) as PoolReply;
  const names = pool.nodes.map((n) => n.name).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  const notReady = pool.nodes.filter((n) => !n.ready).length;

  // Scripts off: what shows is only what the server put in the document.
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const bare = await ctx.newPage();
    await bare.goto(`${env.admin}/pools/worker?sort=-name`);
    expect(await rowNames(bare)).toEqual(names);
    await expect(bare.getByRole('button', { name: `All (${pool.nodes.length})` })).toBeVisible();
    await expect(bare.getByRole('button', { name: `Not ready (${notReady})` })).toBeVisible();
    await expect(bare.getByRole('heading', { name: `Nodes (${pool.nodes.length})` })).toBeVisible();
    await expect(bare.getByRole('columnheader', { name: 'Node ▼' })).toBeVisible();
  } finally {
    await ctx.close();
  }

  // Scripts on: the same rows, then the whole page (events in, the table live) with no hydration error.
  await page.goto(`${env.admin}/pools/worker?sort=-name`);
  expect(await rowNames(page)).toEqual(names);
  await expect(page.getByText('Loading…')).toHaveCount(0); // the whole reply (events) and the config history
  await page.getByRole('button', { name: /^Degraded \(/ }).click();
  await expect(page).toHaveURL(/state=degraded/);
  const degraded = pool.nodes.filter((n) => n.state === 'Degraded' || n.state === 'Unreconcilable').length;
  await expect(page.locator('[data-testid^="node-row-"]')).toHaveCount(degraded);
});

test('/nodes holds its first rows in its document too, filtered as its URL says', async ({ browser, page }) => {
  const all = ((await (await page.request.get(`${env.admin}/api/nodes`)).json()) as NodesReply).nodes;
  const done = all
    .filter((n) => n.state === 'Done')
    .map((n) => n.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const bare = await ctx.newPage();
    await bare.goto(`${env.admin}/nodes?state=done`);
    expect(await rowNames(bare)).toEqual(done.slice(0, FIRST_SCREEN_ROWS));
    await expect(bare.getByRole('button', { name: `All (${all.length})` })).toBeVisible();
    await expect(bare.getByRole('heading', { name: `Nodes (${all.length})` })).toBeVisible();
  } finally {
    await ctx.close();
  }
  await page.goto(`${env.admin}/nodes?state=done`);
  await expect(page.locator('[data-testid^="node-row-"]')).toHaveCount(Math.min(done.length, FIRST_SCREEN_ROWS));
  expect(await rowNames(page)).toEqual(done.slice(0, FIRST_SCREEN_ROWS));
});

test('the overview and /pools hold every pool and what needs attention in their documents', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const bare = await ctx.newPage();
    const reply = (await (await bare.request.get(`${env.admin}/api/pools`)).json()) as PoolsReply;
    for (const path of ['/', '/pools']) {
      await bare.goto(env.admin + path);
      for (const p of reply.pools) {
        const row = bare.getByTestId(`pool-row-${p.name}`);
        await expect(row).toBeVisible();
        await expect(row).toContainText(`${p.updatedMachineCount}`);
      }
    }
    await bare.goto(env.admin);
    const attention = bare.getByTestId('attention');
    if (reply.attention.length) for (const a of reply.attention) await expect(attention).toContainText(a.node);
    else await expect(bare.getByTestId('all-healthy')).toBeVisible();
  } finally {
    await ctx.close();
  }
});

test("a node's pages hold its state and reason in their documents; its events follow with the page's fetch", async ({
  browser,
  page,
}) => {
  const nodes = ((await (await page.request.get(`${env.admin}/api/nodes`)).json()) as NodesReply).nodes;
  const name = (nodes.find((n) => n.state === 'Degraded') ?? nodes[0]).name;
  const node = (await (await page.request.get(`${env.admin}/api/nodes/${name}`)).json()) as NodeReply;
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const bare = await ctx.newPage();
    for (const path of [`/nodes/${name}/drift`, `/nodes/${name}`]) {
      await bare.goto(env.admin + path);
      await expect(bare.getByRole('heading', { name: `Node ${name}` })).toBeVisible();
      if (node.reason) await expect(bare.getByTestId('reason')).toContainText(node.reason);
      else await expect(bare.getByTestId('reason')).toContainText('The node reports no problem.');
    }
  } finally {
    await ctx.close();
  }
  await page.goto(`${env.admin}/nodes/${name}`);
  await expect(page.getByText('Loading…')).toHaveCount(0);
  if (node.events.length) await expect(page.getByText(node.events[0].message).first()).toBeVisible();
});
