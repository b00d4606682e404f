'use client';
// A list of paths to choose one from (the drift report, a comparison's changed files): one tab stop, arrow keys
// move the choice (WAI-ARIA listbox with a roving tabindex), and long paths are cut in the middle so two files in
// the same folder never read the same.
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

/** `/etc/systemd/system/` + `machine-config-daemon-firstboot.service`: the folder shrinks first, then the name. */
export function MiddlePath({ path, className = '' }: { path: string; className?: string }) {
  const cut = path.lastIndexOf('/') + 1;
  return (
    <span className={`flex min-w-0 font-mono text-xs ${className}`} title={path}>
      <span className="min-w-[2ch] truncate">{path.slice(0, cut)}</span>
      <span className="max-w-full shrink-0 truncate">{path.slice(cut)}</span>
    </span>
  );
}

export function FileList<T extends { path: string }>({
  items,
  selected,
  onSelect,
  label,
  testId,
  row,
  title,
}: {
  items: T[];
  selected: string | null;
  onSelect: (path: string) => void;
  label: string;
  testId?: string;
  /** The row's content besides the path: `before` (a badge), `below` (a note), `after` (a kind). */
  row: (item: T) => { before?: ReactNode; below?: ReactNode; after?: ReactNode };
  title?: (item: T) => string;
}) {
  const list = useRef<HTMLUListElement>(null);
  const index = items.findIndex((i) => i.path === selected);
  // The one tab stop: the chosen row, else the first.
  const tabStop = index >= 0 ? index : 0;
  const move = (to: number) => {
    const i = Math.max(0, Math.min(items.length - 1, to));
    const item = items[i];
    if (!item) return;
    onSelect(item.path);
    (list.current?.children[i] as HTMLElement | undefined)?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const at = Math.max(0, [...(list.current?.children ?? [])].indexOf(document.activeElement as Element));
    const page = 10;
    const to =
      e.key === 'ArrowDown'
        ? at + 1
        : e.key === 'ArrowUp'
          ? at - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? items.length - 1
              : e.key === 'PageDown'
                ? at + page
                : e.key === 'PageUp'
                  ? at - page
                  : null;
    if (to === null) return;
    e.preventDefault();
    move(to);
  };
  return (
    <ul
      ref={list}
      role="listbox"
      aria-label={label}
      data-testid={testId}
      onKeyDown={onKey}
      className="max-h-[560px] overflow-auto rounded border border-line"
    >
      {items.map((f, i) => {
        const r = row(f);
        const isSel = f.path === selected;
        return (
          <li
            key={f.path}
            role="option"
            aria-selected={isSel}
            tabIndex={i === tabStop ? 0 : -1}
            onClick={() => onSelect(f.path)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(f.path);
              }
            }}
            title={title?.(f) ?? f.path}
            className={`flex w-full cursor-pointer items-start gap-2 border-b border-line px-2 py-1 text-left outline-offset-[-2px] focus-visible:outline-2 focus-visible:outline-accent ${isSel ? 'bg-soft' : ''}`}
          >
            {r.before}
            <span className="min-w-0 flex-1">
              <MiddlePath path={f.path} />
              {r.below}
            </span>
            {r.after}
          </li>
        );
      })}
    </ul>
  );
}
