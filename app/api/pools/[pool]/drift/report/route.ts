import { POOL_DRIFT_READS } from '@/server/pooldrift';
import { poolDriftReport } from '@/server/pooldrift-report';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ names: { pool: 'pool' }, reads: POOL_DRIFT_READS }, ({ cache, id, names, url }) =>
  poolDriftReport(cache, id, names.pool, url),
);
