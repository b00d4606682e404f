import { whoami } from '@/server/auth';
import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request) {
  return handle(async () => {
    const cache = getCache();
    await cache.requireConnected();
    const { reply, setCookie } = await whoami(req, cache);
    return json(reply, 200, setCookie ? { 'set-cookie': setCookie } : {});
  });
}
