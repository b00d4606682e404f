import { NodePage } from '@/components/pages/NodePage';
import { pageData } from '@/server/pagedata';
import { NODE_READS, nodeFirstScreen } from '@/server/views/nodes';

export default async function Page({ params }: { params: Promise<{ node: string }> }) {
  const name = decodeURIComponent((await params).node);
  // The node's state and reason in the document, read as the user, as GET /api/nodes/<node> is.
  const first = await pageData(NODE_READS, (cache, id) => nodeFirstScreen(cache, id, name));
  return <NodePage name={name} driftFirst={false} first={first} />;
}
