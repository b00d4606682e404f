'use client';
// "Force reconcile": the daemon re-applies every file and unit of the node's config, then drains and reboots it.
// The dialog says so, shows the `oc` equivalent, and asks for the node name before it will go.
import { useState } from 'react';
import type { ForceReconcileRequest } from '@/lib/api/types';
import { FORCE_FILE } from '@/lib/mco/constants';
import { ApiFailure } from '../data/fetcher';
import { useAction } from '../data/hooks';
import { keys } from '../data/keys';
import { ConfirmDialog } from '../Dialog';
import { Button } from '../ui';
import { PermissionNote, usePermission } from '../data/permissions';

export function ForceReconcile({
  node,
  config,
  onStarted,
}: {
  node: string;
  config: string | null;
  onStarted: () => void;
}) {
  const perm = usePermission('forceReconcile');
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const act = useAction<ForceReconcileRequest>(`/api/nodes/${encodeURIComponent(node)}/force-reconcile`, [
    keys.node(node),
    keys.drift(node),
  ]);
  const close = () => {
    setOpen(false);
    setTyped('');
    act.reset();
  };
  return (
    <>
      <div className="flex items-center gap-2">
        <Button
          testId="force-reconcile"
          tone="danger"
          disabled={!perm.allowed}
          why={perm.why}
          onClick={() => setOpen(true)}
        >
          Force reconcile
        </Button>
        <PermissionNote perm={perm} testId="force-why" />
      </div>
      <ConfirmDialog
        open={open}
        title={`Force reconcile ${node}?`}
        confirmLabel="Force reconcile and reboot"
        confirmTone="danger"
        canConfirm={typed === node}
        busy={act.isPending}
        error={act.error instanceof ApiFailure ? act.error.message : act.error ? String(act.error) : null}
        command={`oc debug node/${node} -- chroot /host touch ${FORCE_FILE}`}
        onClose={close}
        onConfirm={() =>
          act.mutate(
            { confirm: node },
            {
              onSuccess: () => {
                close();
                onStarted();
              },
            },
          )
        }
      >
        <p>
          The machine-config-daemon on <b>{node}</b> will skip its validation and re-apply every file and systemd unit
          of <span className="font-mono">{config ?? 'its current config'}</span>, overwriting whatever is on the node
          now.
        </p>
        <p className="font-medium text-bad">
          Then it drains the node (its pods are evicted) and REBOOTS it. Workloads on it are interrupted until it is
          back.
        </p>
        <p>Plumb records an Event on the node saying who asked, then creates the daemon&apos;s force file.</p>
        <label className="mt-3 block">
          <span className="mb-1 block">
            Type the node name <b className="font-mono">{node}</b> to confirm:
          </span>
          <input
            autoFocus
            aria-label="Node name to confirm"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            className="w-full rounded border border-line bg-bg px-2 py-1 font-mono text-fg"
          />
        </label>
      </ConfirmDialog>
    </>
  );
}
