import { route } from '@/server/route';
import { compareQuery } from '@/server/validate';
import { compareReply } from '@/server/views/machineconfigs';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ reads: ['machineconfigs'], query: compareQuery }, ({ cache, query }) =>
  compareReply(cache, query.from, query.to),
);
