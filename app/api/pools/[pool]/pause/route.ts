import { pausePool } from '@/server/actions';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = route({ names: { pool: 'pool' } }, ({ req, cache, names }) => pausePool(req, cache, names.pool));
