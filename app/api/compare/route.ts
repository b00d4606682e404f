import { route } from '@/server/route';
import { objectName } from '@/server/validate';
import { compareReply } from '@/server/views/machineconfigs';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ reads: ['machineconfigs'] }, ({ cache, url }) =>
  compareReply(cache, objectName(url.searchParams.get('from'), 'from'), objectName(url.searchParams.get('to'), 'to')),
);
