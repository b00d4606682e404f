import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { poolsJson } from '@/server/views/pools';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET() {
  return handle(async () => {
    const t0 = performance.now();
    const cache = getCache();
    await cache.requireConnected();
    const body = poolsJson(cache);
    return json(body, 200, { 'server-timing': `app;dur=${(performance.now() - t0).toFixed(2)}` });
  });
}
