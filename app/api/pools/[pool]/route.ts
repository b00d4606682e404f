import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { objectName } from '@/server/validate';
import { poolJson } from '@/server/views/pools';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(_req: Request, { params }: { params: Promise<{ pool: string }> }) {
  return handle(async () => {
    const t0 = performance.now();
    const pool = objectName((await params).pool, 'pool');
    const cache = getCache();
    await cache.requireConnected();
    const body = poolJson(cache, pool);
    return json(body, 200, { 'server-timing': `app;dur=${(performance.now() - t0).toFixed(2)}` });
  });
}
