import { POOL_DRIFT_READS, startRestore } from '@/server/pooldrift';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = route(
  { names: { pool: 'pool' }, reads: POOL_DRIFT_READS, status: 202 },
  ({ req, cache, id, names }) => startRestore(req, cache, id, names.pool),
);
