'use client';
// `/nodes`: every node of the cluster with its pool and MCO state, filterable and sortable (in the URL).
import { useNodes } from '../data/hooks';
import { NodeTable } from '../NodeTable';
import { ErrorBox, Loading, PageTitle } from '../ui';

export function NodesPage() {
  const q = useNodes();
  return (
    <>
      <PageTitle sub="Every node, the pool it belongs to and what its machine-config-daemon reports.">
        Nodes{q.data ? ` (${q.data.nodes.length})` : ''}
      </PageTitle>
      {q.isPending ? (
        <Loading height={400} />
      ) : !q.data ? (
        <ErrorBox error={q.error} what="nodes" />
      ) : (
        <NodeTable nodes={q.data.nodes} showPool />
      )}
    </>
  );
}
