'use client';
// "Restore this file": write back the bytes and mode the rendered config says, without a reboot; and, where the
// cluster's NodeDisruptionPolicy names one for the path, run that service action too (reload crio.service…), because
// a restored file alone leaves running services with the hand-edited settings.
import { useEffect, useState } from 'react';
import type { DriftFile, PostRestoreAction, RestoreRequest } from '@/lib/api/types';
import { octalMode } from '@/lib/mco/mode';
import { ApiFailure } from '../data/fetcher';
import { useAction, usePathPolicy } from '../data/hooks';
import { keys } from '../data/keys';
import { ConfirmDialog } from '../Dialog';
import { modeText } from '../format';
import { Button } from '../ui';
import { PermissionNote, usePermission } from '../data/permissions';

export function RestoreFile({
  node,
  file,
  config,
  onStarted,
}: {
  node: string;
  file: DriftFile;
  config: string;
  onStarted: () => void;
}) {
  const perm = usePermission('restoreFile');
  const [open, setOpen] = useState(false);
  const policy = usePathPolicy(node, file.path, open);
  const offer = policy.data?.status === 'decided' ? policy.data.offer : [];
  const [withAction, setWithAction] = useState(true);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- reset the choice when the file changes, keeping the dialog's other state
  useEffect(() => setWithAction(true), [file.path]);
  const then = withAction ? offer : [];
  const act = useAction<RestoreRequest>(`/api/nodes/${encodeURIComponent(node)}/restore`, [
    keys.node(node),
    keys.drift(node),
    keys.fileAll(node),
  ]);
  const tmp = `${file.path}.plumb-restore`;
  const mode = octalMode(file.expectedMode);
  const close = () => {
    setOpen(false);
    act.reset();
  };
  return (
    <>
      <div className="flex items-center gap-2">
        <Button
          testId="restore-file"
          tone="primary"
          disabled={!perm.allowed || file.status === 'ok'}
          why={perm.why || 'The file matches.'}
          onClick={() => setOpen(true)}
        >
          Restore this file
        </Button>
        <PermissionNote perm={perm} testId="restore-why" />
      </div>
      <ConfirmDialog
        open={open}
        title={`Restore ${file.path} on ${node}?`}
        confirmLabel={
          then.length
            ? `Restore and ${then.map(words).join(', then ')}`
            : offer.length
              ? 'Restore only'
              : 'Restore file'
        }
        canConfirm={!policy.isPending}
        busy={act.isPending}
        error={act.error instanceof ApiFailure ? act.error.message : act.error ? String(act.error) : null}
        command={[
          `# Save the expected content (Download on the config page) as ./expected, then:`,
          `oc debug node/${node} -- chroot /host sh -c 'cat > ${tmp} && chmod ${mode} ${tmp} && mv ${tmp} ${file.path}' < ./expected`,
          ...then.map((a) => `oc debug node/${node} -- chroot /host ${systemctl(a)}`),
        ].join('\n')}
        onClose={close}
        onConfirm={() =>
          act.mutate(then.length ? { path: file.path, then } : { path: file.path }, {
            onSuccess: () => {
              close();
              onStarted();
            },
          })
        }
      >
        <p>
          Plumb writes the contents that <span className="font-mono">{config}</span> gives{' '}
          <span className="font-mono">{file.path}</span> back onto <b>{node}</b>, with mode{' '}
          {modeText(file.expectedMode)}. It writes a temporary file beside it and moves it into place, so the node never
          holds half a file.
        </p>
        <p>
          No drain and no reboot. Once every managed file matches again, the daemon marks the node Done by itself. Any
          local change to this file is lost.
        </p>
        <p data-testid="restore-policy">
          {policy.isPending ? (
            'Reading the cluster’s disruption policy for this path…'
          ) : policy.data ? (
            <>
              Were this file changed by a MachineConfig, <b>{policy.data.sentence}</b>.
            </>
          ) : (
            'The cluster’s disruption policy for this path could not be read.'
          )}
        </p>
        {offer.length ? (
          <fieldset className="space-y-1 rounded border border-line p-2">
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="restore-then"
                data-testid="restore-with-action"
                checked={withAction}
                onChange={() => setWithAction(true)}
              />
              Restore and {offer.map(words).join(', then ')}
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="restore-then"
                data-testid="restore-only"
                checked={!withAction}
                onChange={() => setWithAction(false)}
              />
              Restore only
            </label>
          </fieldset>
        ) : null}
        {!then.length ? (
          <p data-testid="restore-only-note" className="text-warn">
            Restoring the file alone changes no running service: services that read it keep the hand-edited settings
            until they restart{offer.length ? '' : ' (or the node reboots)'}.
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}

/** "reload crio.service", "systemctl daemon-reload". */
function words(a: PostRestoreAction): string {
  return a.type === 'DaemonReload'
    ? 'systemctl daemon-reload'
    : `${a.type === 'Reload' ? 'reload' : 'restart'} ${a.serviceName}`;
}

function systemctl(a: PostRestoreAction): string {
  return a.type === 'DaemonReload'
    ? 'systemctl daemon-reload'
    : `systemctl ${a.type === 'Reload' ? 'reload' : 'restart'} ${a.serviceName}`;
}
