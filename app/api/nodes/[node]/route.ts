import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { objectName } from '@/server/validate';
import { nodeReply } from '@/server/views/nodes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(_req: Request, { params }: { params: Promise<{ node: string }> }) {
  return handle(async () => {
    const node = objectName((await params).node, 'node');
    const cache = getCache();
    await cache.requireConnected();
    return json(nodeReply(cache, node));
  });
}
