import { route } from '@/server/route';
import { NODES_READS, nodesReply } from '@/server/views/nodes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// Each node with its primary pool (which the pools' node selectors decide): nodes and pools for a forwarded user.
export const GET = route({ reads: NODES_READS }, ({ cache }) => nodesReply(cache));
