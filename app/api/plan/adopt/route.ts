import { route } from '@/server/route';
import { adoptRequest } from '@/server/plan';
import { nodePath, objectName } from '@/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/plan/adopt?node=<node>&path=<path>: the MachineConfig that declares what the node has at path. */
export const GET = route({ reads: ['machineconfigs', 'machineconfigpools', 'nodes'] }, ({ req, url, cache }) =>
  adoptRequest(req, cache, objectName(url.searchParams.get('node'), 'node'), nodePath(url.searchParams.get('path'))),
);
