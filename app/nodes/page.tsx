import { NodesPage } from '@/components/pages/NodesPage';
import { nodeTableViewOf } from '@/lib/api/node-table';
import { pageData } from '@/server/pagedata';
import { NODES_READS, nodesFirstScreen } from '@/server/views/nodes';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const view = nodeTableViewOf(await searchParams);
  // The first rows in the document, read as the user, as GET /api/nodes is (see app/pools/[pool]/page.tsx).
  const first = await pageData(NODES_READS, (cache) => nodesFirstScreen(cache, view));
  return <NodesPage first={first} />;
}
