import { forceReconcile } from '@/server/actions';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = route({ names: { node: 'node' }, status: 202 }, ({ req, cache, names }) =>
  forceReconcile(req, cache, names.node),
);
