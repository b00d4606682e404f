import { identify, permissions } from '@/server/auth';
import { getCache } from '@/server/cache';
import { forbidden, handle, json } from '@/server/errors';
import { objectName } from '@/server/validate';
import { machineConfigReply } from '@/server/views/machineconfigs';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request, { params }: { params: Promise<{ name: string }> }) {
  return handle(async () => {
    const name = objectName((await params).name, 'MachineConfig');
    const cache = getCache();
    await cache.requireConnected();
    let reveal = false;
    if (new URL(req.url).searchParams.get('reveal') === '1') {
      const p = await permissions(identify(req, cache));
      if (!p.can.revealSensitive) throw forbidden(p.why.revealSensitive ?? 'you may not reveal sensitive files');
      reveal = true;
    }
    return json(machineConfigReply(cache, name, { reveal }));
  });
}
