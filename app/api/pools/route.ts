import { json } from '@/server/errors';
import { route } from '@/server/route';
import { POOLS_READS, poolsJson } from '@/server/views/pools';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ reads: POOLS_READS }, ({ cache }) => {
  const t0 = performance.now();
  const body = poolsJson(cache);
  return json(body, 200, { 'server-timing': `app;dur=${(performance.now() - t0).toFixed(2)}` });
});
