import { cancelScan, POOL_DRIFT_READS } from '@/server/pooldrift';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = route({ names: { pool: 'pool' }, reads: POOL_DRIFT_READS }, ({ req, cache, id, names }) =>
  cancelScan(req, cache, id, names.pool),
);
