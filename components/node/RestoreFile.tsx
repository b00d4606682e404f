'use client';
// "Restore this file": write back the bytes and mode the rendered config says, without a reboot.
import { useState } from 'react';
import type { DriftFile, RestoreFileRequest } from '@/lib/api/types';
import { octalMode } from '@/lib/mco/mode';
import { ApiFailure } from '../data/fetcher';
import { useAction } from '../data/hooks';
import { keys } from '../data/keys';
import { ConfirmDialog } from '../Dialog';
import { modeText } from '../format';
import { Button } from '../ui';
import { PermissionNote, usePermission } from '../data/permissions';

export function RestoreFile({ node, file, config, onStarted }: { node: string; file: DriftFile; config: string; onStarted: () => void }) {
  const perm = usePermission('restoreFile');
  const [open, setOpen] = useState(false);
  const act = useAction<RestoreFileRequest>(`/api/nodes/${encodeURIComponent(node)}/restore`, [
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
        <Button testId="restore-file" tone="primary" disabled={!perm.allowed || file.status === 'ok'} why={perm.why || 'The file matches.'} onClick={() => setOpen(true)}>
          Restore this file
        </Button>
        <PermissionNote perm={perm} testId="restore-why" />
      </div>
      <ConfirmDialog
        open={open}
        title={`Restore ${file.path} on ${node}?`}
        confirmLabel="Restore file"
        busy={act.isPending}
        error={act.error instanceof ApiFailure ? act.error.message : act.error ? String(act.error) : null}
        command={[
          `# Save the expected content (Download on the config page) as ./expected, then:`,
          `oc debug node/${node} -- chroot /host sh -c 'cat > ${tmp} && chmod ${mode} ${tmp} && mv ${tmp} ${file.path}' < ./expected`,
        ].join('\n')}
        onClose={close}
        onConfirm={() =>
          act.mutate(
            { path: file.path },
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
          Plumb writes the contents that <span className="font-mono">{config}</span> gives <span className="font-mono">{file.path}</span>{' '}
          back onto <b>{node}</b>, with mode {modeText(file.expectedMode)}. It writes a temporary file beside it and moves it into
          place, so the node never holds half a file.
        </p>
        <p>
          No drain and no reboot. Once every managed file matches again, the daemon marks the node Done by itself. Any local change to
          this file is lost.
        </p>
      </ConfirmDialog>
    </>
  );
}
