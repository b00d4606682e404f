import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { objectName } from '@/server/validate';
import { compareReply } from '@/server/views/machineconfigs';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request) {
  return handle(async () => {
    const q = new URL(req.url).searchParams;
    const from = objectName(q.get('from'), 'from');
    const to = objectName(q.get('to'), 'to');
    const cache = getCache();
    await cache.requireConnected();
    return json(await compareReply(cache, from, to));
  });
}
