'use client';
// `/machineconfigs/<name>`: its decoded files and units as a tree, one shown read-only in Monaco (?file= selects it),
// where each comes from for rendered configs, kernel arguments, extensions, SSH keys and the OS image; a YAML tab
// (?view=yaml) shows the object itself.
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { DecodedFile } from '@/lib/api/types';
import { useMachineConfig } from '../data/hooks';
import { bytes, languageFor, modeText, when } from '../format';
import { FileViewer } from '../monaco';
import { Badge, ConfigLink, Empty, ErrorBox, Loading, PageTitle, Section } from '../ui';

interface Dir {
  name: string;
  dirs: Map<string, Dir>;
  files: DecodedFile[];
}

function tree(files: DecodedFile[]): Dir {
  const root: Dir = { name: '/', dirs: new Map(), files: [] };
  for (const f of files) {
    const parts = f.path.split('/').filter(Boolean);
    let d = root;
    for (const p of parts.slice(0, -1)) {
      if (!d.dirs.has(p)) d.dirs.set(p, { name: p, dirs: new Map(), files: [] });
      d = d.dirs.get(p)!;
    }
    d.files.push(f);
  }
  return root;
}

/** Collapse single-child folders (`etc/kubernetes/...`) so the tree stays short. */
function TreeNode({
  d,
  prefix,
  selected,
  choose,
}: {
  d: Dir;
  prefix: string;
  selected: string | null;
  choose: (p: string) => void;
}) {
  const dirs = [...d.dirs.values()].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <ul className="pl-3">
      {dirs.map((sub) => {
        let label = sub.name;
        let cur = sub;
        while (cur.files.length === 0 && cur.dirs.size === 1) {
          cur = [...cur.dirs.values()][0]!;
          label += '/' + cur.name;
        }
        return (
          <li key={label}>
            <div className="text-xs text-muted">{label}/</div>
            <TreeNode d={cur} prefix={`${prefix}${label}/`} selected={selected} choose={choose} />
          </li>
        );
      })}
      {d.files
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((f) => (
          <li key={f.path}>
            <button
              type="button"
              aria-current={f.path === selected ? 'true' : undefined}
              onClick={() => choose(f.path)}
              title={f.path}
              className={`w-full truncate rounded px-1 text-left font-mono text-xs ${f.path === selected ? 'bg-accent text-on-accent' : ''}`}
            >
              {f.path.split('/').pop()}
              {f.kind !== 'file' ? <span className="ml-1 opacity-70">({f.kind})</span> : null}
            </button>
          </li>
        ))}
    </ul>
  );
}

function download(f: DecodedFile) {
  const blob = new Blob([f.text ?? ''], { type: 'text/plain' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = f.path.split('/').pop() || 'file';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function FileBox({ f }: { f: DecodedFile }) {
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <h3 className="font-mono font-semibold" data-testid="selected-file">
          {f.path}
        </h3>
        <span className="text-xs text-muted">
          {f.kind} · {modeText(f.mode)} · {bytes(f.size)}
          {f.unit ? ` · unit ${f.unit}` : ''}
          {f.enabled != null ? ` · enabled ${f.enabled}` : ''}
          {f.masked ? ' · masked' : ''}
        </span>
        <div className="ml-auto flex gap-2">
          <button
            type="button"
            disabled={f.text == null}
            className="rounded border border-line bg-soft px-2 py-0.5 text-xs disabled:opacity-50"
            onClick={() => {
              void navigator.clipboard?.writeText(f.text ?? '').then(() => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              });
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button
            type="button"
            disabled={f.text == null}
            className="rounded border border-line bg-soft px-2 py-0.5 text-xs disabled:opacity-50"
            onClick={() => download(f)}
          >
            Download
          </button>
        </div>
      </div>
      {f.source ? (
        <div className="mb-2 text-xs">
          From <ConfigLink name={f.source} />
          {f.overridden.length ? (
            <span className="text-warn">
              {' '}
              (overrides{' '}
              {f.overridden.map((o, i) => (
                <span key={o}>
                  {i ? ', ' : ''}
                  <ConfigLink name={o} />
                </span>
              ))}
              )
            </span>
          ) : null}
        </div>
      ) : null}
      {f.decodeError ? (
        <ErrorBox error={new Error(f.decodeError)} what={f.path} />
      ) : f.binary ? (
        <Empty height={200}>Binary content ({bytes(f.size)}).</Empty>
      ) : f.text == null ? (
        <Empty height={200}>{f.sensitive ? 'Sensitive content withheld.' : 'No content.'}</Empty>
      ) : (
        <FileViewer key={f.path} text={f.text} language={languageFor(f.path)} height={520} />
      )}
    </div>
  );
}

function ListBlock({ items, empty }: { items: string[]; empty: string }) {
  return items.length ? (
    <ul className="font-mono text-xs">
      {items.map((k) => (
        <li key={k}>{k}</li>
      ))}
    </ul>
  ) : (
    <span className="text-xs text-muted">{empty}</span>
  );
}

export function MachineConfigPage({ name }: { name: string }) {
  const q = useMachineConfig(name);
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const selected = params.get('file');
  const root = useMemo(() => tree(q.data?.files ?? []), [q.data]);
  if (q.isPending)
    return (
      <>
        <PageTitle>{name}</PageTitle>
        <Loading height={500} />
      </>
    );
  if (!q.data) return <ErrorBox error={q.error} what={`MachineConfig ${name}`} />;
  const d = q.data;
  const s = d.summary;
  // Without ?file=, show the first file rather than an empty panel (that URL still restores this same view).
  const current = selected ? (d.files.find((f) => f.path === selected) ?? null) : (d.files[0] ?? null);
  const choose = (p: string) => router.replace(`${pathname}?file=${encodeURIComponent(p)}`, { scroll: false });
  const yaml = params.get('view') === 'yaml';
  const tab = (isYaml: boolean, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={yaml === isYaml}
      aria-controls="mc-tabpanel"
      data-testid={isYaml ? 'tab-yaml' : 'tab-contents'}
      onClick={() => router.replace(isYaml ? `${pathname}?view=yaml` : pathname, { scroll: false })}
      className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${yaml === isYaml ? 'border-accent font-medium text-fg' : 'border-transparent text-muted'}`}
    >
      {label}
    </button>
  );
  return (
    <>
      <PageTitle
        sub={
          <span className="flex flex-wrap items-center gap-2 text-sm">
            {s.rendered ? <Badge tone="busy">rendered</Badge> : <Badge tone="idle">source</Badge>}
            {s.role ? <span>role {s.role}</span> : null}
            {s.pool ? (
              <span>
                pool <Link href={`/pools/${encodeURIComponent(s.pool)}`}>{s.pool}</Link>
              </span>
            ) : null}
            <span>Ignition {s.ignitionVersion ?? '—'}</span>
            {s.generatedByController ? (
              <span className="font-mono text-xs">controller {s.generatedByController}</span>
            ) : null}
            <span>created {when(s.creationTimestamp)}</span>
          </span>
        }
      >
        <span className="font-mono">{s.name}</span>
      </PageTitle>
      {d.error ? (
        <div className="mb-4">
          <ErrorBox error={new Error(d.error)} what="every part of this config" />
        </div>
      ) : null}
      <div role="tablist" aria-label="Views of this config" className="mb-4 flex gap-1 border-b border-line">
        {tab(false, 'Contents')}
        {tab(true, 'YAML')}
      </div>
      {yaml ? (
        <div role="tabpanel" id="mc-tabpanel">
          <FileViewer key="yaml" text={d.yaml} language="yaml" height={640} />
        </div>
      ) : (
        <div role="tabpanel" id="mc-tabpanel">
          <div className="mb-6 grid grid-cols-[320px_minmax(0,1fr)] gap-4">
            <nav
              aria-label="Files and units"
              className="max-h-[600px] overflow-auto rounded border border-line py-2 pr-2"
            >
              {d.files.length ? (
                <TreeNode d={root} prefix="/" selected={current?.path ?? selected} choose={choose} />
              ) : (
                <Empty>No files or units.</Empty>
              )}
            </nav>
            <div className="min-w-0">
              {current ? (
                <FileBox f={current} />
              ) : (
                <Empty height={520}>
                  {selected ? `${selected} is not in this config.` : 'This config declares no files or units.'}
                </Empty>
              )}
            </div>
          </div>
          <div className="grid grid-cols-3 gap-6">
            <Section title="Kernel arguments">
              <ListBlock items={d.kernelArguments} empty="None." />
            </Section>
            <Section title="Extensions">
              <ListBlock items={d.extensions} empty="None." />
            </Section>
            <Section title="OS">
              <dl className="text-xs">
                <dt className="text-muted">osImageURL</dt>
                <dd className="break-all font-mono">{d.osImageURL || '—'}</dd>
                <dt className="mt-1 text-muted">kernelType</dt>
                <dd>{d.kernelType || 'default'}</dd>
                <dt className="mt-1 text-muted">FIPS</dt>
                <dd>{d.fips ? 'on' : 'off'}</dd>
              </dl>
            </Section>
          </div>
          <Section title="SSH keys" id="ssh-h">
            {d.sshKeys.length ? (
              <ul data-testid="ssh-keys" className="space-y-1 text-xs">
                {d.sshKeys.flatMap((u) =>
                  u.keys.map((k, i) => (
                    <li key={`${u.user}-${i}`} className="flex gap-2">
                      <span className="shrink-0 text-muted">user {u.user}</span>
                      <span className="break-all font-mono">{k}</span>
                    </li>
                  )),
                )}
              </ul>
            ) : (
              <span data-testid="ssh-keys" className="text-xs text-muted">
                None.
              </span>
            )}
          </Section>
          {d.sources.length ? (
            <Section title="Sources (merge order)">
              <ol className="list-decimal pl-6 text-sm">
                {d.sources.map((x) => (
                  <li key={x}>
                    <ConfigLink name={x} />
                  </li>
                ))}
              </ol>
            </Section>
          ) : null}
        </div>
      )}
    </>
  );
}
