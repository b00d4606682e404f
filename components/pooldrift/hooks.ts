'use client';
// The pool drift data: the latest scan and result, polled while a scan or a restore runs (the live stream carries
// cluster changes, not the console's own jobs), and the calls that start, cancel and restore.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PoolDriftReply, PoolDriftScan, PoolRestoreJob, PoolRestoreRequest } from '@/lib/api/pooldrift';
import { ApiFailure, apiGet, apiPost, seg } from '../data/fetcher';
import { useWhoAmI } from '../data/hooks';

export const poolDriftKey = (pool: string, reveal: boolean) => ['pooldrift', pool, reveal] as const;

const active = (d: PoolDriftReply | undefined) =>
  d?.scan?.state === 'running' || !!d?.restores.some((r) => r.state === 'running');

export function usePoolDrift(pool: string, reveal: boolean) {
  return useQuery({
    queryKey: poolDriftKey(pool, reveal),
    queryFn: ({ signal }) =>
      apiGet<PoolDriftReply>(`/api/pools/${seg(pool)}/drift${reveal ? '?reveal=1' : ''}`, signal),
    refetchInterval: (q) => (active(q.state.data) ? 700 : false),
    placeholderData: (prev) => prev,
    retry: false,
  });
}

async function apiDelete<T>(path: string, csrfToken: string): Promise<T> {
  const res = await fetch(path, {
    method: 'DELETE',
    headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
  });
  const body = (await res.json().catch(() => ({}))) as { error?: ApiFailure['code']; message?: string };
  if (!res.ok)
    throw new ApiFailure(res.status, body.error ?? 'internal', body.message ?? `${res.status} ${res.statusText}`);
  return body as T;
}

export function usePoolDriftActions(pool: string) {
  const qc = useQueryClient();
  const who = useWhoAmI();
  const csrf = () => who.data?.csrfToken ?? '';
  const refresh = () => qc.invalidateQueries({ queryKey: ['pooldrift', pool] });
  const base = `/api/pools/${seg(pool)}/drift`;
  return {
    scan: useMutation({
      mutationFn: (all: boolean) => apiPost<PoolDriftScan>(`${base}/scan`, { all }, csrf()),
      onSettled: refresh,
    }),
    cancel: useMutation({ mutationFn: () => apiDelete<PoolDriftScan>(`${base}/scan`, csrf()), onSettled: refresh }),
    restore: useMutation({
      mutationFn: (body: PoolRestoreRequest) => apiPost<PoolRestoreJob>(`${base}/restore`, body, csrf()),
      onSettled: refresh,
    }),
  };
}
