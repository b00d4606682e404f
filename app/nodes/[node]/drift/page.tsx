import { NodePage } from '@/components/pages/NodePage';
import { pageData } from '@/server/pagedata';
import { NODE_READS, nodeFirstScreen } from '@/server/views/nodes';

export default async function Page({ params }: { params: Promise<{ node: string }> }) {
  const name = decodeURIComponent((await params).node);
  // The node's state and reason in the document (the drift itself is read through exec, from the browser).
  const first = await pageData(NODE_READS, (cache, id) => nodeFirstScreen(cache, id, name));
  return <NodePage name={name} driftFirst first={first} />;
}
