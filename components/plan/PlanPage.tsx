'use client';
// `/plan`: paste, type or upload MachineConfigs (or adopt a node's drifted file: `/plan?adoptNode=<node>&path=<path>`),
// see what the MCO would do per pool (new rendered config, per-file diff and action, drain, reboot, refusal, rollout
// batches, the API server's dry run), then Apply as the user and follow the pool's rollout on its page.
// URL state: adoptNode/path, pool and file; the YAML being edited lives in sessionStorage (it can be large).
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { stringify } from 'yaml';
import type { PlanAdoptReply, PlanApplyReply, PlanReply } from '@/lib/api/types';
import type { PoolPlan } from '@/lib/api/types';
import { diffSides } from '@/lib/diff';
import { ConfirmDialog } from '../Dialog';
import { apiGet, apiPost } from '../data/fetcher';
import { useWhoAmI } from '../data/hooks';
import { editorHeight, languageFor } from '../format';
import { FileDiff } from '../monaco';
import { Badge, Button, Empty, ErrorBox, Loading, PageTitle, Section } from '../ui';
import { YamlEditor } from './YamlEditor';

const DRAFT_KEY = 'plumb-plan-draft';

const EXAMPLE = `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfig
metadata:
  name: 99-worker-example
  labels:
    machineconfiguration.openshift.io/role: worker
spec:
  config:
    ignition:
      version: 3.4.0
    storage:
      files:
        - path: /etc/example.conf
          mode: 420
          overwrite: true
          contents:
            source: data:,hello%0A
`;

function duration(s: number): string {
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function PoolCard({ p, file, onFile }: { p: PoolPlan; file: string | null; onFile: (path: string | null) => void }) {
  const selected = p.changes?.files.find((f) => f.path === file) ?? null;
  const actionOf = new Map(p.items.map((i) => [i.name, i.action]));
  return (
    <Section title={`Pool ${p.pool}`} id={`pool-${p.pool}`}>
      <div data-testid={`plan-pool-${p.pool}`} className="space-y-3">
        <table className="w-full text-sm">
          <tbody>
            <tr>
              <th className="w-48 text-left font-normal text-muted">Rendered config</th>
              <td className="font-mono text-xs">
                {p.currentConfig ?? '(none)'} → <span data-testid="plan-new-config">{p.newConfig ?? '(refused)'}</span>
              </td>
            </tr>
            <tr>
              <th className="text-left font-normal text-muted">What each node does</th>
              <td data-testid="plan-summary">
                {p.refused ? (
                  <Badge tone="bad">Refused</Badge>
                ) : p.unchanged ? (
                  <Badge tone="idle">No change</Badge>
                ) : (
                  <b>{p.summary}</b>
                )}
                {!p.refused && !p.unchanged ? (
                  <span className="ml-2 text-xs text-muted">
                    {p.reboot ? 'reboots' : 'no reboot'}, {p.drain ? 'drains' : 'no drain'}
                    {p.mode
                      ? ` (${p.mode === 'policy' ? 'NodeDisruptionPolicy' : 'fixed lists before NodeDisruptionPolicy'})`
                      : ''}
                  </span>
                ) : null}
              </td>
            </tr>
            {p.refused ? (
              <tr>
                <th className="text-left font-normal text-muted">The MCO says</th>
                <td data-testid="plan-refused" className="whitespace-pre-wrap font-mono text-xs text-bad">
                  {p.refused}
                  <div className="mt-1 font-sans text-muted">
                    Nothing reaches any node: the pool goes RenderDegraded until the change is removed.
                  </div>
                </td>
              </tr>
            ) : null}
            {p.updateError ? (
              <tr>
                <th className="text-left font-normal text-muted">Update fails</th>
                <td className="text-bad">{p.updateError}</td>
              </tr>
            ) : null}
            <tr>
              <th className="text-left font-normal text-muted">Nodes</th>
              <td data-testid="plan-rollout">
                {p.rollout.paused ? (
                  <span>
                    <Badge tone="warn">Paused</Badge> the pool renders the new config but updates none of its{' '}
                    {p.nodeCount} nodes until it is resumed.
                  </span>
                ) : p.refused || p.unchanged ? (
                  'none updated'
                ) : (
                  <span>
                    {p.rollout.batches.flat().length} of {p.nodeCount}, {p.rollout.maxUnavailable} at a time
                    (maxUnavailable), in {p.rollout.batches.length} batch
                    {p.rollout.batches.length === 1 ? '' : 'es'}
                    {p.estimate ? (
                      <span data-testid="plan-estimate">
                        ; about {duration(p.estimate.seconds)} ({p.estimate.basis})
                      </span>
                    ) : (
                      '; no past rollout to estimate from'
                    )}
                  </span>
                )}
              </td>
            </tr>
          </tbody>
        </table>
        {p.rollout.blockedBy.length > 0 && !p.rollout.paused && !p.refused && !p.unchanged ? (
          <div data-testid="plan-blocked" className="rounded border border-warn/50 px-3 py-2 text-sm">
            Blocked now: {p.rollout.blockedBy.join(', ')} {p.rollout.blockedBy.length === 1 ? 'is' : 'are'} unavailable
            (not Ready, updating, or Degraded) and use{p.rollout.blockedBy.length === 1 ? 's' : ''} up maxUnavailable=
            {p.rollout.maxUnavailable}: the controller updates nobody until{' '}
            {p.rollout.blockedBy.length === 1 ? 'it is' : 'they are'} available again. For a node Degraded by drift,
            restoring its file unblocks the rollout (when the change adopts that file, the new config then writes the
            same content back).
          </div>
        ) : null}
        {p.rollout.batches.length > 0 ? (
          <ol
            className="max-h-40 overflow-auto rounded border border-line p-2 font-mono text-xs"
            data-testid="plan-batches"
          >
            {p.rollout.batches.slice(0, 200).map((b, i) => (
              <li key={i}>
                <span className="text-muted">batch {i + 1}:</span> {b.join(', ')}
              </li>
            ))}
            {p.rollout.batches.length > 200 ? (
              <li className="text-muted">… {p.rollout.batches.length - 200} more batches</li>
            ) : null}
          </ol>
        ) : null}
        {p.changes &&
        (p.changes.files.length > 0 ||
          p.changes.kernelArguments.added.length + p.changes.kernelArguments.removed.length > 0) ? (
          <div className="grid grid-cols-[minmax(260px,1fr)_3fr] gap-3">
            <ul className="space-y-1 text-sm" data-testid="plan-files">
              {p.changes.files.map((f) => (
                <li key={f.path}>
                  <button
                    type="button"
                    onClick={() => onFile(f.path === file ? null : f.path)}
                    className={`w-full rounded px-2 py-1 text-left ${f.path === file ? 'bg-accent text-on-accent' : 'hover:bg-soft'}`}
                  >
                    <div className="font-mono text-xs">{f.path}</div>
                    <div className="text-xs opacity-80">
                      {f.change}; {actionOf.get(f.path) ?? (p.reboot ? 'Reboot' : '—')}
                    </div>
                  </button>
                </li>
              ))}
              {p.changes.kernelArguments.added.length + p.changes.kernelArguments.removed.length > 0 ? (
                <li className="px-2 text-xs">
                  kernel arguments: +{p.changes.kernelArguments.added.join(' ')} −
                  {p.changes.kernelArguments.removed.join(' ')}
                </li>
              ) : null}
              {p.changes.osImageURL ? <li className="px-2 text-xs">OS image changes: reboot</li> : null}
              {p.changes.kernelType ? (
                <li className="px-2 text-xs">
                  kernel type {p.changes.kernelType.from} → {p.changes.kernelType.to}
                </li>
              ) : null}
              {p.changes.fips ? (
                <li className="px-2 text-xs">
                  FIPS {String(p.changes.fips.from)} → {String(p.changes.fips.to)}
                </li>
              ) : null}
            </ul>
            <div>
              {!selected ? (
                <Empty height={200}>Choose a file to see its diff.</Empty>
              ) : selected.sensitive ? (
                <Empty height={200}>Sensitive content: the diff is withheld.</Empty>
              ) : selected.binary || !selected.lines ? (
                <Empty height={200}>{selected.binary ? 'Binary content.' : 'No line diff available.'}</Empty>
              ) : (
                <FileDiff
                  key={`${p.pool}:${selected.path}`}
                  original={diffSides(selected.lines).before}
                  modified={diffSides(selected.lines).after}
                  language={languageFor(selected.path)}
                  sideBySide
                  height={editorHeight(diffSides(selected.lines).before, diffSides(selected.lines).after)}
                />
              )}
            </div>
          </div>
        ) : null}
      </div>
    </Section>
  );
}

export function PlanPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const adoptNode = params.get('adoptNode');
  const adoptPath = params.get('path');
  const poolParam = params.get('pool');
  const fileParam = params.get('file');
  const who = useWhoAmI();
  const [text, setText] = useState<string>('');
  const [loaded, setLoaded] = useState(false);
  const [adoptNote, setAdoptNote] = useState<string | null>(null);
  const [adoptError, setAdoptError] = useState<unknown>(null);
  const [plan, setPlan] = useState<PlanReply | null>(null);
  const [planError, setPlanError] = useState<unknown>(null);
  const [planning, setPlanning] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<string | null>(null);
  const [applied, setApplied] = useState<PlanApplyReply | null>(null);
  const autoPlanned = useRef(false);

  const setUrl = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
  };

  const runPlan = async (yaml: string) => {
    setPlanning(true);
    setPlanError(null);
    setApplied(null);
    try {
      const r = await apiPost<PlanReply>('/api/plan', { yaml }, who.data?.csrfToken ?? '');
      setPlan(r);
    } catch (e) {
      setPlan(null);
      setPlanError(e);
    } finally {
      setPlanning(false);
    }
  };

  // The starting YAML: an adopted file, else the draft of this browser tab, else an example.
  useEffect(() => {
    let cancelled = false;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the editor shows nothing until the starting YAML for these parameters is in
    setLoaded(false);
    autoPlanned.current = false;
    if (adoptNode && adoptPath) {
      apiGet<PlanAdoptReply>(
        `/api/plan/adopt?node=${encodeURIComponent(adoptNode)}&path=${encodeURIComponent(adoptPath)}`,
      )
        .then((r) => {
          if (cancelled) return;
          setText(stringify(r.machineConfig, { lineWidth: 0 }));
          setAdoptNote(
            r.source === 'new'
              ? `A new MachineConfig ${r.machineConfig.metadata.name} for pool ${r.pool} that declares ${r.path} as ${r.node} has it now.`
              : `${r.machineConfig.metadata.name}, which already declares ${r.path} for pool ${r.pool}, changed to what ${r.node} has now.`,
          );
          setLoaded(true);
        })
        .catch((e) => !cancelled && (setAdoptError(e), setLoaded(true)));
    } else {
      setText(sessionStorage.getItem(DRAFT_KEY) ?? EXAMPLE);
      setAdoptNote(null);
      setLoaded(true);
    }
    return () => {
      cancelled = true;
    };
  }, [adoptNode, adoptPath]);

  // An adopted change is planned at once: the point is to see what it does.
  useEffect(() => {
    if (loaded && adoptNode && text && !autoPlanned.current && who.data) {
      autoPlanned.current = true;
      void runPlan(text);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runPlan is recreated every render; autoPlanned makes this run once per adoption
  }, [loaded, adoptNode, text, who.data]);

  const edit = (v: string) => {
    setText(v);
    sessionStorage.setItem(DRAFT_KEY, v);
  };

  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    const texts = await Promise.all([...files].map((f) => f.text()));
    edit(texts.join('\n---\n'));
    if (adoptNode) setUrl({ adoptNode: null, path: null });
  };

  const doApply = async () => {
    if (!plan) return;
    setApplying(true);
    setApplyError(null);
    try {
      const r = await apiPost<PlanApplyReply>(
        '/api/plan/apply',
        { apply: plan.apply, delete: plan.delete },
        who.data?.csrfToken ?? '',
      );
      setApplied(r);
      setConfirm(false);
    } catch (e) {
      setApplyError((e as Error).message);
    } finally {
      setApplying(false);
    }
  };

  const pools = plan?.pools ?? [];
  const refused = pools.some((p) => p.refused);
  const dryFailed = (plan?.dryRun ?? []).filter((d) => !d.ok);
  const shownPools = poolParam ? pools.filter((p) => p.pool === poolParam) : pools;
  const readOnly = who.data?.readOnly === true;

  return (
    <>
      <PageTitle sub="What a MachineConfig change will do to every pool and node, before it is applied.">
        Plan a change
      </PageTitle>
      {adoptNote ? (
        <div data-testid="adopt-note" className="mb-3 rounded border border-line bg-soft px-3 py-2 text-sm">
          Adopting drift: {adoptNote} Applying it changes the file on every node of the pool, the drifted one included.
        </div>
      ) : null}
      {adoptError ? <ErrorBox error={adoptError} what="the adopted file" /> : null}
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <Button tone="primary" testId="plan-run" disabled={planning || !text.trim()} onClick={() => void runPlan(text)}>
          {planning ? 'Planning…' : 'Plan'}
        </Button>
        <label className="cursor-pointer rounded border border-line bg-soft px-3 py-1 text-sm">
          Upload YAML…
          <input
            type="file"
            accept=".yaml,.yml,.json"
            multiple
            className="hidden"
            onChange={(e) => void upload(e.target.files)}
          />
        </label>
        <span className="text-xs text-muted">One or more MachineConfigs, as YAML documents separated by ---.</span>
      </div>
      {loaded ? <YamlEditor value={text} onChange={edit} height={320} /> : <Loading height={320} />}
      <div className="mt-4 space-y-4">
        {planError ? <ErrorBox error={planError} what="the plan" /> : null}
        {plan ? (
          <>
            <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="plan-header">
              <span>
                OpenShift {plan.version}; {pools.length} pool{pools.length === 1 ? '' : 's'} affected
              </span>
              {pools.length > 1 ? (
                <select
                  value={poolParam ?? ''}
                  onChange={(e) => setUrl({ pool: e.target.value || null, file: null })}
                  className="rounded border border-line bg-bg px-2 py-1 text-xs"
                >
                  <option value="">all pools</option>
                  {pools.map((p) => (
                    <option key={p.pool} value={p.pool}>
                      {p.pool}
                    </option>
                  ))}
                </select>
              ) : null}
              <Button
                tone="primary"
                testId="plan-apply"
                disabled={refused || dryFailed.length > 0 || readOnly || !!applied}
                why={
                  readOnly
                    ? 'the console runs read-only'
                    : refused
                      ? 'the MCO would refuse this change'
                      : dryFailed.length
                        ? 'the API server refuses it (dry run)'
                        : 'already applied'
                }
                onClick={() => setConfirm(true)}
              >
                Apply…
              </Button>
            </div>
            {dryFailed.length > 0 || plan.dryRun.some((d) => d.warnings.length) ? (
              <div data-testid="plan-dryrun" className="rounded border border-bad/40 bg-bad-bg px-3 py-2 text-sm">
                <div className="font-semibold">The API server&apos;s dry run (as you)</div>
                {plan.dryRun.map((d) => (
                  <div key={`${d.operation}:${d.name}`} className="font-mono text-xs">
                    {d.operation} {d.name}: {d.ok ? 'ok' : d.message}
                    {d.warnings.map((w) => ` (warning: ${w})`)}
                  </div>
                ))}
              </div>
            ) : null}
            {plan.notes.map((n) => (
              <div key={n} className="text-sm text-muted">
                {n}
              </div>
            ))}
            {applied ? (
              <div data-testid="plan-applied" className="rounded border border-line bg-soft px-3 py-2 text-sm">
                {applied.message} Follow the rollout:{' '}
                {applied.pools.map((p) => (
                  <Link key={p} href={`/pools/${encodeURIComponent(p)}`} className="mr-2" data-testid={`follow-${p}`}>
                    pool {p}
                  </Link>
                ))}
              </div>
            ) : null}
            {shownPools.map((p) => (
              <PoolCard key={p.pool} p={p} file={fileParam} onFile={(f) => setUrl({ file: f })} />
            ))}
          </>
        ) : !planError && !planning ? (
          <Empty height={120}>Write or upload MachineConfigs, then Plan.</Empty>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirm}
        title="Apply this change"
        command={plan?.commands.join('\n')}
        confirmLabel={applying ? 'Applying…' : 'Apply'}
        busy={applying}
        error={applyError}
        onConfirm={() => void doApply()}
        onClose={() => setConfirm(false)}
      >
        <p>
          Server-side apply, as you, of {plan?.apply.length ?? 0} MachineConfig{plan?.apply.length === 1 ? '' : 's'}
          {plan?.delete.length ? ` and deletion of ${plan.delete.join(', ')}` : ''}.
        </p>
        {pools
          .filter((p) => !p.unchanged)
          .map((p) => (
            <p key={p.pool}>
              Pool <b>{p.pool}</b>: {p.summary}
              {p.rollout.paused
                ? ' — paused: nobody is updated until it is resumed'
                : `; ${p.rollout.batches.flat().length} node(s)`}
              .
            </p>
          ))}
      </ConfirmDialog>
    </>
  );
}
