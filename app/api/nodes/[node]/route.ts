import { route } from '@/server/route';
import { nodeReply } from '@/server/views/nodes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ names: { node: 'node' } }, ({ cache, names }) => nodeReply(cache, names.node));
