import { route } from '@/server/route';
import { nodeReply } from '@/server/views/nodes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ names: { node: 'node' }, reads: ['nodes', 'events'] }, ({ cache, names }) => nodeReply(cache, names.node));
