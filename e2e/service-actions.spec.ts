// What a change does to a node, in the browser: the compare page says what the MCO would do (overall and per file),
// and the restore dialog restores a drifted policy.json and reloads crio.service as the cluster's policy says, which
// the simulated node records. Runs after plumb.spec.ts on the same cluster; touches only worker-2 and two
// MachineConfigs no pool selects (so nothing rolls out).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { readJournal, sinceLastBoot } from '../sim/node/journal';
import { env, expect, test } from './fixtures';

const NODE = 'worker-2';
const POLICY_JSON = '/etc/containers/policy.json';

function unselectedConfig(name: string, text: string) {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name, labels: { 'machineconfiguration.openshift.io/role': 'e2e-no-pool' } },
    spec: {
      config: {
        ignition: { version: '3.4.0' },
        storage: {
          files: [
            {
              path: POLICY_JSON,
              mode: 420,
              overwrite: true,
              contents: { source: 'data:,' + encodeURIComponent(text) },
            },
          ],
        },
      },
    },
  };
}

test('compare says what the MCO does: overall and per file', async ({ page }) => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(join(env.simDataDir, 'kubeconfig'));
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  for (const [name, text] of [
    ['e2e-policy-a', '{"default":[{"type":"insecureAcceptAnything"}]}\n'],
    ['e2e-policy-b', '{"default":[{"type":"reject"}]}\n'],
  ]) {
    await custom.createClusterCustomObject({
      group: 'machineconfiguration.openshift.io',
      version: 'v1',
      plural: 'machineconfigs',
      body: unselectedConfig(name, text),
    });
  }
  await page.goto(env.admin + `/compare?from=e2e-policy-a&to=e2e-policy-b&file=${encodeURIComponent(POLICY_JSON)}`);
  await expect(page.getByTestId('disruption-summary')).toHaveText(
    'Reload crio.service on each node, no drain, no reboot',
  );
  await expect(page.getByRole('listbox', { name: 'Changed files' }).getByTestId('file-action')).toHaveText([
    'Reload crio.service',
  ]);
  await expect(page.getByTestId('selected-file-action')).toContainText('Reload crio.service');
});

test('restore and reload crio.service: the node records the reload', async ({ page }) => {
  const rootfs = join(env.simDataDir, 'nodes', NODE, 'rootfs');
  const journal = () => sinceLastBoot(readJournal(join(env.simDataDir, 'nodes', NODE, 'journal.jsonl')));
  const before = journal().filter((e) => e.action === 'reload' && e.unit === 'crio.service').length;
  writeFileSync(join(rootfs, POLICY_JSON), '{"default":[{"type":"insecureAcceptAnything"}]}\n');

  await page.goto(env.admin + `/nodes/${NODE}/drift?file=${encodeURIComponent(POLICY_JSON)}`);
  await expect(page.getByTestId('drift-summary')).toContainText('1 of', { timeout: 30_000 });
  await page.getByTestId('restore-file').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('restore-policy')).toContainText('the MCO would reload crio.service');
  await expect(dialog.getByTestId('restore-with-action')).toBeChecked();
  await expect(dialog.getByTestId('oc-command')).toContainText(
    `oc debug node/${NODE} -- chroot /host systemctl reload crio.service`,
  );
  // "Restore only" stays, and says what it leaves behind.
  await dialog.getByTestId('restore-only').check();
  await expect(dialog.getByTestId('restore-only-note')).toContainText(
    'keep the hand-edited settings until they restart',
  );
  await dialog.getByTestId('restore-with-action').check();
  await dialog.getByRole('button', { name: 'Restore and reload crio.service' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('drift-summary')).toContainText('match', { timeout: 30_000 });
  expect(journal().filter((e) => e.action === 'reload' && e.unit === 'crio.service').length).toBe(before + 1);

  await page.goto(env.admin + `/nodes/${NODE}`);
  await expect(page.getByTestId('services-since-boot')).toContainText('crio.service');
  await expect(page.getByTestId('services-since-boot')).toContainText('through Plumb');
});
