'use client';
// `/compare?from=&to=&file=`: what changes between two configs — files and units added, removed and changed,
// kernel arguments, extensions, OS image — what the MCO does to each node for it (overall and per file, unit and SSH
// key, by the cluster's NodeDisruptionPolicy), and a side-by-side diff of the chosen file (the first changed file
// when the URL names none, so a comparison with one changed file opens on it).
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { diffSides } from '@/lib/diff';
import type { CompareDisruption, FileDiff as FileDiffT } from '@/lib/api/types';
import { useCompare, useMachineConfigs } from '../data/hooks';
import { FileList } from '../FileList';
import { editorHeight, languageFor, modeText } from '../format';
import { FileDiff } from '../monaco';
import { Badge, ConfigLink, Empty, ErrorBox, Loading, PageTitle, Section } from '../ui';

const changeTone = { added: 'ok', removed: 'bad', changed: 'busy' } as const;

function Picker({
  label,
  value,
  names,
  onChange,
}: {
  label: string;
  value: string;
  names: string[];
  onChange: (v: string) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-muted">{label}</span>
      <select
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="rounded border border-line bg-bg px-2 py-1 font-mono text-xs"
      >
        <option value="">choose…</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
        {value && !names.includes(value) ? <option value={value}>{value}</option> : null}
      </select>
    </label>
  );
}

/** The overall effect on each node, and why the console cannot say when it cannot. */
function DisruptionSummary({ d }: { d: CompareDisruption }) {
  const tone =
    d.status !== 'decided'
      ? 'border-warn/40 bg-warn-bg'
      : d.reboot
        ? 'border-bad/40 bg-bad-bg'
        : 'border-ok/40 bg-ok-bg';
  const sshkey = d.items.find((i) => i.kind === 'sshkey');
  return (
    <div data-testid="disruption" className={`mb-4 rounded border p-3 text-sm ${tone}`}>
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="text-muted">What the MCO does to each node:</span>
        <b data-testid="disruption-summary">{d.summary}</b>
      </div>
      {d.reason ? <div className="mt-1 text-xs text-muted">{d.reason}</div> : null}
      {sshkey ? (
        <div className="mt-1 text-xs" data-testid="sshkey-action">
          SSH keys of {sshkey.name} changed: {sshkey.action}
        </div>
      ) : null}
      <div className="mt-1 text-xs text-muted">
        {d.cluster.version
          ? `OpenShift ${d.cluster.version}${d.cluster.source === 'kubernetes' ? ' (inferred from the Kubernetes version)' : ''}; ${
              d.mode === 'policy'
                ? 'by the cluster’s NodeDisruptionPolicy'
                : d.mode === 'legacy'
                  ? 'by the fixed lists of releases before NodeDisruptionPolicy'
                  : 'rules not applied'
            }`
          : 'OpenShift version unknown'}
      </div>
    </div>
  );
}

function FileDetail({ f, action }: { f: FileDiffT; action: string | null }) {
  const modeNote =
    f.modeBefore != null && f.modeAfter != null && f.modeBefore !== f.modeAfter
      ? `Mode ${modeText(f.modeBefore)} → ${modeText(f.modeAfter)}`
      : null;
  return (
    <div>
      <div className="mb-2 flex items-center gap-2">
        <h3 className="font-mono text-sm font-semibold" data-testid="selected-file">
          {f.path}
        </h3>
        <Badge tone={changeTone[f.change]}>{f.change}</Badge>
        {modeNote ? <span className="text-xs text-warn">{modeNote}</span> : null}
        {action ? (
          <span className="text-xs" data-testid="selected-file-action">
            MCO action: <b>{action}</b>
          </span>
        ) : null}
      </div>
      {f.sensitive ? (
        <Empty height={200}>
          Sensitive content: the diff is withheld{f.contentChanged ? ' (the content changed)' : ''}.
        </Empty>
      ) : f.binary ? (
        <Empty height={200}>Binary content{f.contentChanged ? ' changed' : ''}.</Empty>
      ) : f.lines ? (
        <FileDiff
          key={f.path}
          original={diffSides(f.lines).before}
          modified={diffSides(f.lines).after}
          language={languageFor(f.path)}
          sideBySide
          height={editorHeight(diffSides(f.lines).before, diffSides(f.lines).after)}
        />
      ) : (
        <Empty height={200}>{f.contentChanged ? 'No line diff available.' : 'Content unchanged.'}</Empty>
      )}
    </div>
  );
}

export function ComparePage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const file = params.get('file');
  const mcs = useMachineConfigs();
  const q = useCompare(from, to);
  const names = (mcs.data?.machineConfigs ?? []).map((m) => m.name).sort((a, b) => a.localeCompare(b));
  const go = (f: string, t: string, fl: string | null) => {
    const p = new URLSearchParams();
    if (f) p.set('from', f);
    if (t) p.set('to', t);
    if (fl) p.set('file', fl);
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
  };
  const d = q.data;
  const selected = file ?? d?.files[0]?.path ?? null;
  const current = d?.files.find((f) => f.path === selected) ?? null;
  return (
    <>
      <PageTitle sub="What changes on a node that moves from one config to the other.">Compare configs</PageTitle>
      <div className="mb-4 flex flex-wrap items-center gap-4">
        <Picker label="From" value={from} names={names} onChange={(v) => go(v, to, null)} />
        <Picker label="To" value={to} names={names} onChange={(v) => go(from, v, null)} />
      </div>
      {!from || !to ? (
        <Empty height={300}>Choose two MachineConfigs to compare.</Empty>
      ) : q.isPending ? (
        <Loading height={300} />
      ) : !d ? (
        <ErrorBox error={q.error} what="the comparison" />
      ) : (
        <>
          <DisruptionSummary d={d.disruption} />
          <div className="mb-6 grid grid-cols-[340px_minmax(0,1fr)] gap-4">
            <div>
              <div className="mb-2 text-sm">
                <ConfigLink name={d.from} /> → <ConfigLink name={d.to} />
              </div>
              {d.files.length === 0 ? (
                <Empty>No file or unit differs.</Empty>
              ) : (
                <FileList
                  items={d.files}
                  selected={selected}
                  onSelect={(p) => go(from, to, p)}
                  label="Changed files"
                  testId="changed-files"
                  row={(f) => ({
                    before: <Badge tone={changeTone[f.change]}>{f.change}</Badge>,
                    after: d.disruption.byPath[f.path] ? (
                      <span data-testid="file-action" className="shrink-0 text-[11px] text-muted">
                        {d.disruption.byPath[f.path]}
                      </span>
                    ) : null,
                  })}
                />
              )}
            </div>
            <div className="min-w-0">
              {current ? (
                <FileDetail f={current} action={d.disruption.byPath[current.path] ?? null} />
              ) : (
                <Empty height={420}>Choose a file to see its diff.</Empty>
              )}
            </div>
          </div>
          <div className="grid grid-cols-3 gap-6">
            <Section title="Kernel arguments">
              <ListDiffView added={d.kernelArguments.added} removed={d.kernelArguments.removed} />
            </Section>
            <Section title="Extensions">
              <ListDiffView added={d.extensions.added} removed={d.extensions.removed} />
            </Section>
            <Section title="OS">
              <ul className="text-xs">
                {d.osImageURL ? (
                  <li className="break-all">
                    osImageURL <span className="font-mono">{d.osImageURL.from}</span> →{' '}
                    <span className="font-mono">{d.osImageURL.to}</span>
                  </li>
                ) : null}
                {d.kernelType ? (
                  <li>
                    kernelType {d.kernelType.from || 'default'} → {d.kernelType.to || 'default'}
                  </li>
                ) : null}
                {d.fips ? (
                  <li>
                    FIPS {String(d.fips.from)} → {String(d.fips.to)}
                  </li>
                ) : null}
                {!d.osImageURL && !d.kernelType && !d.fips ? <li className="text-muted">No change.</li> : null}
              </ul>
            </Section>
          </div>
        </>
      )}
    </>
  );
}

function ListDiffView({ added, removed }: { added: string[]; removed: string[] }) {
  if (!added.length && !removed.length) return <span className="text-xs text-muted">No change.</span>;
  return (
    <ul className="font-mono text-xs">
      {added.map((a) => (
        <li key={'+' + a} className="text-ok">
          + {a}
        </li>
      ))}
      {removed.map((r) => (
        <li key={'-' + r} className="text-bad">
          − {r}
        </li>
      ))}
    </ul>
  );
}
