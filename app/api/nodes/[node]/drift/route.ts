import { requireKubeConfig } from '@/server/auth';
import { driftReport } from '@/server/nodefiles';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ names: { node: 'node' }, reads: ['nodes', 'machineconfigs'] }, ({ cache, id, names }) =>
  driftReport(cache, requireKubeConfig(id), id.key, names.node),
);
