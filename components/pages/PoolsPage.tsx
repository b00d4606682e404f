'use client';
// `/pools`: every MachineConfigPool as `oc get mcp` shows it (the overview's table, without the attention list).
import type { PoolsReply } from '@/lib/api/types';
import { usePools } from '../data/hooks';
import { ErrorBox, Loading, PageTitle } from '../ui';
import { PoolTable } from './Overview';

/** `first`: the pools the server rendered into the document (app/pools/page.tsx), if it could. */
export function PoolsPage({ first }: { first: PoolsReply | null }) {
  const q = usePools(first ?? undefined);
  return (
    <>
      <PageTitle sub="Machine config pools: the nodes each selects and the rendered config they run.">Pools</PageTitle>
      {q.isPending ? (
        <Loading height={160} />
      ) : !q.data ? (
        <ErrorBox error={q.error} what="pools" />
      ) : (
        <PoolTable pools={q.data.pools} />
      )}
    </>
  );
}
