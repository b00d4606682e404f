import { cancelScan, startScan } from '@/server/pooldrift';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = route({ names: { pool: 'pool' }, status: 202 }, ({ req, cache, id, names }) =>
  startScan(req, cache, id, names.pool),
);
export const DELETE = route({ names: { pool: 'pool' } }, ({ req, cache, id, names }) =>
  cancelScan(req, cache, id, names.pool),
);
