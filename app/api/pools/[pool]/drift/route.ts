import { poolDrift, POOL_DRIFT_READS } from '@/server/pooldrift';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ names: { pool: 'pool' }, reads: POOL_DRIFT_READS }, ({ cache, id, names, url }) =>
  poolDrift(cache, id, names.pool, url),
);
