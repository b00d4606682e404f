// The seed case adopted instead of restored, in a real browser on the shared simulated cluster (this file runs after
// plumb.spec.ts, which fixes the demo's drift; so it makes the same hand edit again): drift view -> Adopt this change
// -> the plan says every worker reboots -> Apply -> the pool rolls out and every worker ends Done with the edit.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, expect, screenshot, test } from './fixtures';

const rootfs = (node: string) => join(env.simDataDir, 'nodes', node, 'rootfs');
const EDIT = 'HTTPS_PROXY=http://adopted.example.com:3128\n';

test('adopt drift: plan shows every worker reboots, apply rolls it out to every worker', async ({ page, request }) => {
  test.setTimeout(180_000);
  const pool = await (await request.get(env.admin + '/api/pools/worker')).json();
  const workers: string[] = pool.nodes.map((n: { name: string }) => n.name);
  // The demo's own seed drift when it is still there (this file run alone), else the same hand edit made again.
  const overview = await (await request.get(env.admin + '/api/pools')).json();
  const seed = overview.attention.find(
    (a: { pool: string; explanation: { path: string | null } }) =>
      a.pool === 'worker' && a.explanation.path === '/etc/mco/proxy.env',
  );
  const node: string = seed?.node ?? workers[0];
  if (!seed) appendFileSync(join(rootfs(node), 'etc/mco/proxy.env'), EDIT);
  const edited = readFileSync(join(rootfs(node), 'etc/mco/proxy.env'), 'utf8');

  await page.goto(`${env.admin}/nodes/${node}/drift?file=%2Fetc%2Fmco%2Fproxy.env`);
  await expect(page.getByTestId('selected-file')).toHaveText('/etc/mco/proxy.env', { timeout: 30_000 });
  await page.getByTestId('adopt').click();
  await expect(page).toHaveURL(new RegExp(`/plan\\?adoptNode=${node}&path=%2Fetc%2Fmco%2Fproxy\\.env`));
  await expect(page.getByTestId('adopt-note')).toContainText(
    /A new MachineConfig .*for pool worker that declares \/etc\/mco\/proxy\.env/,
  );
  const card = page.getByTestId('plan-pool-worker');
  await expect(card.getByTestId('plan-summary')).toContainText('Reboot, drains each node', { timeout: 30_000 });
  await expect(card.getByTestId('plan-files')).toContainText('/etc/mco/proxy.env');
  const batches = await card.getByTestId('plan-batches').innerText();
  for (const w of workers) expect(batches).toContain(w);
  await card
    .getByTestId('plan-files')
    .getByRole('button', { name: /proxy\.env/ })
    .click();
  await expect(page).toHaveURL(/file=%2Fetc%2Fmco%2Fproxy\.env/);
  await expect(card.getByTestId('diff-editor')).toBeVisible();
  await screenshot(page, 'plan');

  // The truth with maxUnavailable 1: the drift-Degraded node uses up the only slot, so the controller waits for it.
  await expect(card.getByTestId('plan-blocked')).toContainText(node);

  await page.getByTestId('plan-apply').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('oc apply --server-side');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('plan-applied')).toContainText('99-worker-etc-mco-proxy-env created');
  const newConfig = (await card.getByTestId('plan-new-config').innerText()).trim();
  await page.getByTestId('follow-worker').click();
  await expect(page).toHaveURL(/\/pools\/worker/);
  // Unblock as the plan says: restore the drifted file (the new config then writes the adopted content back).
  const who = await (await page.request.get(env.admin + '/api/whoami')).json();
  const restored = await page.request.post(`${env.admin}/api/nodes/${node}/restore`, {
    headers: { 'x-csrf-token': who.csrfToken, origin: env.admin, 'content-type': 'application/json' },
    data: { path: '/etc/mco/proxy.env' },
  });
  expect(restored.status(), await restored.text()).toBe(200);

  await expect
    .poll(
      async () => {
        const p = await (await request.get(env.admin + '/api/pools/worker')).json();
        return p.nodes.every(
          (n: { state: string; currentConfig: string }) => n.state === 'Done' && n.currentConfig === newConfig,
        );
      },
      { timeout: 150_000, intervals: [1000] },
    )
    .toBe(true);
  for (const w of workers) expect(readFileSync(join(rootfs(w), 'etc/mco/proxy.env'), 'utf8')).toBe(edited);
});
