// What an administrator does with Plumb, in a real browser against a simulated cluster: see the degraded pool,
// open the drift, fix it, and watch the node come back; restore single files; share a deep link; be refused
// politely without permission. The tests run in order on one cluster (worker-1 is drifted by the demo scenario).
import { appendFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startConsole } from '../tests/console-process';
import { startSim } from '../tests/sim-process';
import { env, expect, guard, screenshot, test } from './fixtures';

const rootfs = (node: string) => join(env.simDataDir, 'nodes', node, 'rootfs');

/** The modified (right-hand, node) side of the Monaco diff. */
const modifiedSide = (page: Page) => page.getByTestId('diff-editor').locator('.editor.modified');

test('seed case: degraded pool → drift diff → force reconcile → node Done and pool healthy, without a reload', async ({
  page,
}) => {
  await page.goto(env.admin + '/');
  await expect(page.getByTestId('pool-row-worker').getByTestId('pool-health')).toContainText('Degraded');
  const attention = page.getByTestId('attention');
  await expect(attention).toContainText('worker-1');
  await expect(attention).toContainText('/etc/mco/proxy.env');
  await screenshot(page, 'overview-degraded');
  // Marker that a full page load would wipe out.
  await page.evaluate(() => ((window as unknown as { plumbNoReload: boolean }).plumbNoReload = true));

  await attention.getByRole('link', { name: 'worker-1' }).click();
  await expect(page).toHaveURL(/\/nodes\/worker-1\/drift\?file=%2Fetc%2Fmco%2Fproxy\.env/);
  await expect(page.getByTestId('selected-file')).toHaveText('/etc/mco/proxy.env');
  await expect(page.getByTestId('drift-files')).toContainText('/etc/mco/proxy.env');
  // The added line is on the node's side, highlighted as an insertion.
  await expect(modifiedSide(page).locator('.view-lines')).toContainText('HTTPS_PROXY=http://proxy.example.com:3128');
  await expect(modifiedSide(page).locator('.line-insert').first()).toBeAttached();
  await screenshot(page, 'node-drift');

  await page.getByTestId('force-reconcile').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('REBOOTS');
  await expect(dialog.getByTestId('oc-command')).toHaveText(
    'oc debug node/worker-1 -- chroot /host touch /run/machine-config-daemon-force',
  );
  const go = dialog.getByRole('button', { name: 'Force reconcile and reboot' });
  await expect(go).toBeDisabled();
  await dialog.getByLabel('Node name to confirm').fill('worker-1');
  await go.click();
  await expect(dialog).toBeHidden();

  const follow = page.getByTestId('follow');
  await expect(follow).toContainText(/Working|Rebooting/, { timeout: 30_000 });
  await expect(follow).toContainText('The node is Done.', { timeout: 60_000 });
  await expect(page.getByTestId('reason')).toContainText(/no problem|Done/i);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByTestId('all-healthy')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('pool-row-worker').getByTestId('pool-health')).toContainText('Updated');
  expect(await page.evaluate(() => (window as unknown as { plumbNoReload?: boolean }).plumbNoReload)).toBe(true);
  await screenshot(page, 'overview-healthy');
});

test('restore single files; a mode-only drift is spelled out; a deep link lands on the same diff', async ({
  page,
  browser,
}) => {
  appendFileSync(join(rootfs('worker-0'), 'etc/mco/proxy.env'), 'NO_PROXY=.cluster.local\n');
  chmodSync(join(rootfs('worker-0'), 'etc/containers/policy.json'), 0o666);

  await page.goto(env.admin + '/');
  await expect(page.getByTestId('attention')).toContainText('worker-0', { timeout: 30_000 });
  await page.goto(env.admin + '/nodes/worker-0/drift');
  const list = page.getByTestId('drift-files');
  await expect(page.getByTestId('drift-summary')).toContainText('2 of', { timeout: 30_000 });

  await list.getByRole('option', { name: /policy\.json/ }).click();
  await expect(page).toHaveURL(/file=%2Fetc%2Fcontainers%2Fpolicy\.json/);
  await expect(page.getByTestId('mode-difference')).toContainText(
    'expected 0644 (-rw-r--r--), node has 0666 (-rw-rw-rw-)',
  );

  // A deep link opened in a fresh browser context shows the same diff straight away.
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const other = await fresh.newPage();
  const otherProblems = guard(other);
  await other.goto(env.admin + '/nodes/worker-0/drift?file=/etc/mco/proxy.env&view=split');
  await expect(other.getByTestId('selected-file')).toHaveText('/etc/mco/proxy.env');
  await expect(modifiedSide(other).locator('.view-lines')).toContainText('NO_PROXY=.cluster.local');
  await expect(modifiedSide(other).locator('.line-insert').first()).toBeAttached();
  await screenshot(other, 'deep-link');
  await fresh.close();
  expect(otherProblems).toEqual([]);

  // Restore proxy.env: no reboot, the file matches again.
  await list.getByRole('option', { name: /proxy\.env/ }).click();
  await page.getByTestId('restore-file').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('No drain and no reboot');
  await expect(dialog.getByTestId('oc-command')).toContainText('oc debug node/worker-0');
  await dialog.getByRole('button', { name: 'Restore file' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('drift-summary')).toContainText('1 of', { timeout: 30_000 });

  // Restore the mode (with the crio reload the cluster's policy names for policy.json): the node returns to Done.
  await list.getByRole('option', { name: /policy\.json/ }).click();
  await page.getByTestId('restore-file').click();
  await dialog.getByRole('button', { name: 'Restore and reload crio.service' }).click();
  await expect(page.getByTestId('follow')).toContainText('The node is Done.', { timeout: 30_000 });
  await expect(page.getByTestId('drift-summary')).toContainText('match', { timeout: 30_000 });
});

test('the viewer may not act: buttons are disabled and say why', async ({ page }) => {
  await page.goto(env.viewer + '/nodes/worker-1/drift?file=/etc/mco/proxy.env&view=split');
  const force = page.getByTestId('force-reconcile');
  await expect(force).toBeDisabled();
  const why = page.getByTestId('force-why');
  await expect(why).not.toBeEmpty();
  expect(await force.getAttribute('title')).toBe(await why.textContent());
  // Without exec rights the drift report cannot be read either, and the page says why instead of failing.
  await expect(page.getByTestId('drift-forbidden')).toContainText('may not');
  await page.goto(env.viewer + '/pools/worker');
  const pause = page.getByTestId('pause-button');
  await expect(pause).toBeDisabled();
  await expect(page.getByTestId('pause-why')).not.toBeEmpty();
  expect(await pause.getAttribute('title')).toBe(await page.getByTestId('pause-why').textContent());
  await screenshot(page, 'viewer-pool');
});

test('every page renders from its URL', async ({ page, request }) => {
  const pools = (await (await request.get(env.admin + '/api/pools')).json()) as {
    pools: { name: string; renderedConfig: string | null }[];
  };
  const worker = pools.pools.find((p) => p.name === 'worker')!;
  const infra = pools.pools.find((p) => p.name === 'infra')!;

  await page.goto(env.admin + '/pools/worker');
  await expect(page.getByTestId('node-row-worker-0')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Conditions' })).toContainText('Updated');
  await screenshot(page, 'pool');

  await page.goto(env.admin + '/nodes/worker-2/drift');
  await expect(page.getByTestId('drift-summary')).toContainText('match');
  await screenshot(page, 'node');

  await page.goto(env.admin + '/machineconfigs');
  await expect(page.getByRole('table', { name: 'MachineConfigs' })).toContainText('99-worker-ssh');
  await screenshot(page, 'machineconfigs');

  await page.goto(env.admin + `/machineconfigs/${worker.renderedConfig}?file=/etc/crio/crio.conf.d/00-default`);
  await expect(page.getByTestId('selected-file')).toHaveText('/etc/crio/crio.conf.d/00-default');
  await expect(page.getByTestId('file-viewer').locator('.view-lines')).not.toBeEmpty();
  await screenshot(page, 'machineconfig');
  // Without ?file= a config opens on its first file, not on an empty panel.
  await page.goto(env.admin + '/machineconfigs/99-worker-crun-runtime');
  await expect(page.getByTestId('selected-file')).toHaveText('/etc/crio/crio.conf.d/99-crun-runtime');
  await expect(page.getByTestId('file-viewer').locator('.view-lines')).toContainText('crun');

  await page.goto(env.admin + `/compare?from=${worker.renderedConfig}&to=${infra.renderedConfig}`);
  await expect(page.getByRole('listbox', { name: 'Changed files' })).toBeVisible();
  await page.getByRole('listbox', { name: 'Changed files' }).getByRole('option').first().click();
  await expect(page.getByTestId('selected-file')).toBeVisible();
  await expect(page.getByTestId('diff-editor').locator('.editor.modified .view-lines')).not.toBeEmpty();
  await screenshot(page, 'compare');
});

test('a sensitive file is masked until revealed; pausing a pool says what it does and takes effect live', async ({
  page,
}) => {
  await page.goto(env.admin + '/nodes/worker-2/drift?file=/var/lib/kubelet/config.json');
  await expect(page.getByText('Sensitive file.')).toBeVisible();
  await expect(page.getByTestId('diff-editor')).toHaveCount(0);
  await page.getByTestId('reveal').click();
  await expect(modifiedSide(page).locator('.view-lines')).toContainText('auths');

  await page.goto(env.admin + '/pools/infra');
  await page.getByTestId('pause-button').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('certificate rotation');
  await expect(dialog.getByTestId('oc-command')).toHaveText(
    `oc patch mcp/infra --type merge --patch '{"spec":{"paused":true}}'`,
  );
  await dialog.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('pool-health')).toContainText('Paused');
  await expect(page.getByTestId('pause-button')).toHaveText('Resume pool');
  await page.getByTestId('pause-button').click();
  await dialog.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(page.getByTestId('pool-health')).toContainText('Updated');
});

test('a banner says when the cluster is unreachable and clears by itself when it is back', async ({
  page,
  problems,
}) => {
  // Its own small cluster and console, so stopping the cluster does not disturb the other tests.
  let sim = await startSim(['--scenario', 'mini', '--reboot-seconds', '0.3', '--drain-seconds', '0.1']);
  const port = new URL(sim.url).port;
  const con = await startConsole({ kubeconfig: sim.kubeconfigPath, context: 'admin' });
  try {
    await page.goto(con.url.replace(/\/$/, '') + '/');
    await expect(page.locator('[data-testid^=pool-row-]').first()).toBeVisible();
    await expect(page.getByTestId('banner')).toHaveCount(0);

    await sim.stop();
    await expect(page.getByTestId('banner')).toContainText('cluster is unreachable', { timeout: 30_000 });
    // What was on screen stays on screen.
    await expect(page.locator('[data-testid^=pool-row-]').first()).toBeVisible();
    await screenshot(page, 'banner');

    sim = await startSim(['--port', port, '--reboot-seconds', '0.3', '--drain-seconds', '0.1'], {
      dataDir: sim.dataDir,
    });
    await expect(page.getByTestId('banner')).toHaveCount(0, { timeout: 45_000 });
  } finally {
    // Leave the page first, so stopping the console does not cut its open event stream mid-chunk.
    await page.goto('about:blank').catch(() => {});
    await con.stop();
    await sim.stop({ removeData: true });
  }
  // The 503s answered while the cluster was away are expected here; anything else still fails the test.
  const rest = problems.filter((p) => !/status of 503/.test(p));
  problems.splice(0, problems.length, ...rest);
});
