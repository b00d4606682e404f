'use client';
// react-query hooks on /api. Data stays fresh through the live stream (see LiveProvider), not by polling.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ActionReply,
  CompareQuery,
  CompareReply,
  DriftReply,
  FileReply,
  MachineConfigReply,
  MachineConfigsReply,
  NodeFileQuery,
  NodeReply,
  NodesReply,
  PathPolicyQuery,
  PathPolicyReply,
  PoolReply,
  PoolsReply,
  WhoAmIReply,
} from '@/lib/api/types';
import { apiGet, apiPost, query, seg } from './fetcher';
import { keys } from './keys';

/** `firstScreen` as for usePool (here the whole reply, as the server rendered it into the page). */
export const usePools = (firstScreen?: PoolsReply) =>
  useQuery({
    queryKey: keys.pools,
    queryFn: ({ signal }) => apiGet<PoolsReply>('/api/pools', signal),
    placeholderData: firstScreen,
  });

/** `firstScreen`: a part of the reply to show until the whole one arrives (never cached, so never patched). */
export const usePool = (name: string, firstScreen?: PoolReply) =>
  useQuery({
    queryKey: keys.pool(name),
    queryFn: ({ signal }) => apiGet<PoolReply>(`/api/pools/${seg(name)}`, signal),
    placeholderData: firstScreen,
  });

/** Every node with its MCO state and pool (`/nodes`); `firstScreen` as for usePool. */
export const useNodes = (firstScreen?: NodesReply) =>
  useQuery({
    queryKey: keys.nodes,
    queryFn: ({ signal }) => apiGet<NodesReply>('/api/nodes', signal),
    placeholderData: firstScreen,
  });

/** `firstScreen` as for usePool (the node without its events). */
export const useNode = (name: string, firstScreen?: NodeReply) =>
  useQuery({
    queryKey: keys.node(name),
    queryFn: ({ signal }) => apiGet<NodeReply>(`/api/nodes/${seg(name)}`, signal),
    placeholderData: firstScreen,
  });

export const useDrift = (node: string, enabled = true) =>
  useQuery({
    queryKey: keys.drift(node),
    enabled,
    queryFn: ({ signal }) => apiGet<DriftReply>(`/api/nodes/${seg(node)}/drift`, signal),
    // Keep showing the last report while a new one is read, so the list does not jump.
    placeholderData: (prev) => prev,
  });

export const useNodeFile = (node: string, path: string | null, reveal: boolean) =>
  useQuery({
    queryKey: keys.file(node, path ?? '', reveal),
    enabled: !!path,
    queryFn: ({ signal }) =>
      apiGet<FileReply>(
        `/api/nodes/${seg(node)}/files?${query<NodeFileQuery>({ path: path!, ...(reveal ? { reveal: '1' } : {}) })}`,
        signal,
      ),
    placeholderData: (prev) => (prev && prev.path === path ? prev : undefined),
  });

export const useMachineConfigs = () =>
  useQuery({
    queryKey: keys.machineConfigs,
    queryFn: ({ signal }) => apiGet<MachineConfigsReply>('/api/machineconfigs', signal),
  });

export const useMachineConfig = (name: string, enabled = true) =>
  useQuery({
    queryKey: keys.machineConfig(name),
    enabled: enabled && !!name,
    queryFn: ({ signal }) => apiGet<MachineConfigReply>(`/api/machineconfigs/${seg(name)}`, signal),
  });

export const useCompare = (from: string, to: string) =>
  useQuery({
    queryKey: keys.compare(from, to),
    enabled: !!from && !!to,
    queryFn: ({ signal }) => apiGet<CompareReply>(`/api/compare?${query<CompareQuery>({ from, to })}`, signal),
  });

/** What the cluster's disruption policy does when `path` changes on `node` (the restore dialog). */
export const usePathPolicy = (node: string, path: string, enabled = true) =>
  useQuery({
    queryKey: keys.policy(node, path),
    enabled,
    queryFn: ({ signal }) =>
      apiGet<PathPolicyReply>(`/api/nodes/${seg(node)}/policy?${query<PathPolicyQuery>({ path })}`, signal),
  });

export const useWhoAmI = () =>
  useQuery({
    queryKey: keys.whoami,
    queryFn: ({ signal }) => apiGet<WhoAmIReply>('/api/whoami', signal),
    staleTime: 30_000,
  });

/** A POST action with the CSRF token from /api/whoami; refreshes what the action changes once it is accepted. */
export function useAction<B>(path: string, invalidate: readonly (readonly unknown[])[]) {
  const qc = useQueryClient();
  const who = useWhoAmI();
  return useMutation({
    mutationFn: (body: B) => apiPost<ActionReply>(path, body, who.data?.csrfToken ?? ''),
    onSuccess: () => {
      for (const k of invalidate) void qc.invalidateQueries({ queryKey: k });
    },
  });
}
