import { permissions } from '@/server/auth';
import { route } from '@/server/route';
import { nodeReply } from '@/server/views/nodes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// The MachineConfigNode is a kind of its own: a forwarded user who may not list it gets the node without it.
export const GET = route({ names: { node: 'node' }, reads: ['nodes', 'events'] }, async ({ cache, id, names }) =>
  nodeReply(cache, names.node, {
    machineConfigNodes: id.key === 'kubeconfig' || (await permissions(id, cache.kc)).reads.machineconfignodes,
  }),
);
