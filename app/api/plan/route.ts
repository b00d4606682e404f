import { route } from '@/server/route';
import { planRequest } from '@/server/plan';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = route({ reads: ['machineconfigs', 'machineconfigpools', 'nodes', 'events'] }, ({ req, cache }) =>
  planRequest(req, cache),
);
