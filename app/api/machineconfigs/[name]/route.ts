import { revealRequested } from '@/server/auth';
import { route } from '@/server/route';
import { machineConfigReply } from '@/server/views/machineconfigs';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route(
  { names: { name: 'MachineConfig' }, reads: ['machineconfigs'] },
  async ({ cache, id, url, names }) =>
    machineConfigReply(cache, names.name, { reveal: await revealRequested(url, id, cache.kc) }),
);
