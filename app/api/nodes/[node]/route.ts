import { route } from '@/server/route';
import { NODE_READS, nodeReplyFor } from '@/server/views/nodes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// The MachineConfigNode is a kind of its own: a forwarded user who may not list it gets the node without it.
export const GET = route({ names: { node: 'node' }, reads: NODE_READS }, ({ cache, id, names }) =>
  nodeReplyFor(cache, id, names.node),
);
