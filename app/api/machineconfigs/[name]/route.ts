import { revealAllowed } from '@/server/auth';
import { route } from '@/server/route';
import { revealQuery } from '@/server/validate';
import { machineConfigReply } from '@/server/views/machineconfigs';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route(
  { names: { name: 'MachineConfig' }, reads: ['machineconfigs'], query: revealQuery },
  async ({ cache, id, query, names }) =>
    machineConfigReply(cache, names.name, { reveal: await revealAllowed(query, id, cache.kc) }),
);
