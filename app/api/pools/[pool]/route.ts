import { json } from '@/server/errors';
import { route } from '@/server/route';
import { POOL_READS, poolJson } from '@/server/views/pools';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ names: { pool: 'pool' }, reads: POOL_READS }, ({ cache, names }) => {
  const t0 = performance.now();
  const body = poolJson(cache, names.pool);
  return json(body, 200, { 'server-timing': `app;dur=${(performance.now() - t0).toFixed(2)}` });
});
