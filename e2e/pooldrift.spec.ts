// Drift across a pool in a real browser, on its own simulated cluster (the demo with a hand edit shared by worker-0
// and worker-2): open /pools/worker/drift, scan, see the shared edit as one group of two nodes beside worker-1's own,
// follow a group's deep link, restore the group with one confirmation, and watch both nodes come back to Done.
import { startConsole, type ConsoleProcess } from '../tests/console-process';
import { startSim, type SimProcess } from '../tests/sim-process';
import { expect, screenshot, test } from './fixtures';

const SHARED = '/etc/sysctl.d/inotify.conf';
let sim: SimProcess;
let admin: ConsoleProcess;
let viewer: ConsoleProcess;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  sim = await startSim(['--scenario', 'demo-pool-drift', '--reboot-seconds', '1', '--drain-seconds', '0.2']);
  [admin, viewer] = await Promise.all([
    startConsole({ kubeconfig: sim.kubeconfigPath, context: 'admin' }),
    startConsole({ kubeconfig: sim.kubeconfigPath, context: 'viewer' }),
  ]);
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${admin.url}/api/pools/worker`)).json()) as { pool?: { degradedMachineCount: number } })
          .pool?.degradedMachineCount,
      {
        timeout: 60_000,
      },
    )
    .toBe(3);
});

test.afterAll(async () => {
  await Promise.allSettled([admin?.stop(), viewer?.stop()]);
  await sim?.stop({ removeData: true });
});

test('pool drift: scan, one group for the shared edit, restore it on both nodes', async ({ page }) => {
  await page.goto(`${admin.url}/pools/worker`);
  await page.getByTestId('pool-drift-link').click();
  await expect(page).toHaveURL(/\/pools\/worker\/drift$/);
  await page.getByTestId('scan-start').click();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('scan-count')).toHaveText('3/3');

  const groups = page.getByTestId('drift-group');
  await expect(groups).toHaveCount(2);
  const shared = page.locator(`[data-testid="drift-group"][data-path="${SHARED}"]`);
  await expect(shared.getByTestId('group-count')).toHaveText('2');
  await expect(shared.getByTestId('group-nodes')).toHaveText(/worker-0.*worker-2/);
  await expect(
    page.locator('[data-testid="drift-group"][data-path="/etc/mco/proxy.env"]').getByTestId('group-nodes'),
  ).toHaveText('worker-1');
  await expect(shared.getByTestId('group-adopt')).toHaveAttribute(
    'href',
    `/plan?adoptNode=worker-0&path=${encodeURIComponent(SHARED)}`,
  );
  await screenshot(page, 'pool-drift');

  // The group's deep link selects it, from a fresh page: the result is kept in the console, no rescan.
  const href = await shared.getByTestId('group-link').getAttribute('href');
  expect(href).toMatch(/^\/pools\/worker\/drift\?path=%2Fetc%2Fsysctl\.d%2Finotify\.conf&hash=[0-9a-f]{64}$/);
  await page.goto(admin.url + href!);
  const selected = page.locator(`[data-testid="drift-group"][data-path="${SHARED}"]`);
  await expect(selected).toHaveClass(/border-accent/);
  await expect(page.getByTestId('result-time')).toContainText('by');

  await selected.getByTestId('group-restore').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('confirm-nodes')).toHaveText(/worker-0\s*worker-2/);
  await dialog.getByRole('button', { name: 'Restore on 2 nodes' }).click();
  await expect(selected.getByTestId('restore-node')).toHaveCount(2);
  await expect(selected.locator('[data-testid="restore-node"][data-state="restored"]')).toHaveCount(2, {
    timeout: 30_000,
  });
  await expect(selected.getByTestId('restore-progress')).toContainText('2/2 restored');
  await screenshot(page, 'pool-drift-restored');

  // Both nodes return to Done; worker-1 keeps its own drift.
  await page.goto(`${admin.url}/pools/worker`);
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${admin.url}/api/pools/worker`)).json()) as { pool: { degradedMachineCount: number } })
          .pool.degradedMachineCount,
      {
        timeout: 30_000,
      },
    )
    .toBe(1);
});

test('pool drift: a viewer without exec is told why the scan is refused', async ({ page, problems }) => {
  await page.goto(`${viewer.url}/pools/worker/drift`);
  await expect(page.getByText(/may not create pods\/exec/).first()).toBeVisible();
  await page.getByTestId('scan-start').click();
  await expect(page.getByTestId('scan-error')).toContainText('may not create pods/exec');
  // The browser logs the refused requests (403) as errors: those are the point of this test, nothing else may be.
  const refused = problems.filter((p) => /status of 403/.test(p));
  expect(refused.length).toBeGreaterThan(0);
  problems.splice(0, problems.length, ...problems.filter((p) => !/status of 403/.test(p)));
});
