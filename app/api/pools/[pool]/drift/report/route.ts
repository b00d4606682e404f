import { poolDriftReport } from '@/server/pooldrift-report';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ names: { pool: 'pool' } }, ({ cache, id, names, url }) =>
  poolDriftReport(cache, id, names.pool, url),
);
