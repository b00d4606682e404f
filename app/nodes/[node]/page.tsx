import { NodePage } from '@/components/pages/NodePage';

export default async function Page({ params }: { params: Promise<{ node: string }> }) {
  const { node } = await params;
  return <NodePage name={decodeURIComponent(node)} driftFirst={false} />;
}
