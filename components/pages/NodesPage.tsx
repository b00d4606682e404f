'use client';
// `/nodes`: every node of the cluster with its pool and MCO state, filterable and sortable (in the URL).
import type { NodesFirstScreen } from '@/lib/api/node-table';
import { useNodes } from '../data/hooks';
import { NodeTable } from '../NodeTable';
import { ErrorBox, Loading, PageTitle } from '../ui';

/** `first`: the first screen the server rendered into the document (app/nodes/page.tsx), if it could. */
export function NodesPage({ first }: { first: NodesFirstScreen | null }) {
  const q = useNodes(first?.reply);
  // Until the whole reply is in, the table holds the first rows of its view and the counts of every node.
  const partial = q.isPlaceholderData && first ? first : null;
  return (
    <>
      <PageTitle sub="Every node, the pool it belongs to and what its machine-config-daemon reports.">
        Nodes{q.data ? ` (${partial ? partial.counts.All : q.data.nodes.length})` : ''}
      </PageTitle>
      {q.isPending ? (
        <Loading height={400} />
      ) : !q.data ? (
        <ErrorBox error={q.error} what="nodes" />
      ) : (
        <NodeTable nodes={q.data.nodes} counts={partial?.counts} showPool />
      )}
    </>
  );
}
