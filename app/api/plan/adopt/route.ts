import { route } from '@/server/route';
import { adoptRequest } from '@/server/plan';
import { adoptQuery } from '@/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/plan/adopt?node=<node>&path=<path>: the MachineConfig that declares what the node has at path. */
export const GET = route(
  { reads: ['machineconfigs', 'machineconfigpools', 'nodes'], query: adoptQuery },
  ({ req, query, cache }) => adoptRequest(req, cache, query.node, query.path),
);
