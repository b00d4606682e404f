import { identify, requireKubeConfig } from '@/server/auth';
import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { driftReport } from '@/server/nodefiles';
import { objectName } from '@/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request, { params }: { params: Promise<{ node: string }> }) {
  return handle(async () => {
    const node = objectName((await params).node, 'node');
    const cache = getCache();
    await cache.requireConnected();
    const id = identify(req, cache);
    return json(await driftReport(cache, requireKubeConfig(id), id.key, node));
  });
}
