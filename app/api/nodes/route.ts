import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { nodesReply } from '@/server/views/nodes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET() {
  return handle(async () => {
    const cache = getCache();
    await cache.requireConnected();
    return json(nodesReply(cache));
  });
}
