'use client';
// A modal confirmation on the native <dialog> (focus trap, Escape to close, backdrop) with the equivalent `oc`
// command shown so an administrator can see, or do by hand, exactly what the button does.
import { useEffect, useRef, type ReactNode } from 'react';

export function ConfirmDialog({
  open,
  title,
  children,
  command,
  confirmLabel,
  confirmTone = 'primary',
  canConfirm = true,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  command?: string;
  confirmLabel: string;
  confirmTone?: 'primary' | 'danger';
  canConfirm?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const titleId = `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[640px] max-w-[90vw] rounded-lg border border-line bg-bg p-0 text-fg shadow-xl"
    >
      {open ? (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (canConfirm && !busy) onConfirm();
          }}
          className="p-5"
        >
          <h2 id={titleId} className="mb-3 text-lg font-semibold">
            {title}
          </h2>
          <div className="space-y-2 text-sm">{children}</div>
          {command ? (
            <div className="mt-4">
              <div className="mb-1 text-xs font-semibold uppercase text-muted">Equivalent command</div>
              <pre
                data-testid="oc-command"
                className="overflow-x-auto rounded bg-soft p-2 font-mono text-xs whitespace-pre-wrap"
              >
                {command}
              </pre>
            </div>
          ) : null}
          {error ? (
            <div role="alert" className="mt-3 rounded border border-bad/40 bg-bad-bg p-2 text-sm text-bad">
              {error}
            </div>
          ) : null}
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" onClick={onClose} className="rounded border border-line bg-soft px-3 py-1 text-sm">
              Cancel
            </button>
            <button
              type="submit"
              disabled={!canConfirm || busy}
              className={`rounded border px-3 py-1 text-sm font-medium text-on-accent disabled:cursor-not-allowed disabled:opacity-50 ${
                confirmTone === 'danger' ? 'border-bad bg-bad' : 'border-accent bg-accent'
              }`}
            >
              {busy ? 'Working…' : confirmLabel}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
