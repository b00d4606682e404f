import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { policyInputs } from '@/server/policywatch';
import { nodePath, objectName } from '@/server/validate';
import { nodeEntry, pathPolicy } from '@/server/views/disruption';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/nodes/:node/policy?path=: what the cluster's disruption policy does when that managed path changes. */
export async function GET(req: Request, { params }: { params: Promise<{ node: string }> }) {
  return handle(async () => {
    const node = objectName((await params).node, 'node');
    const path = nodePath(new URL(req.url).searchParams.get('path'));
    const cache = getCache();
    await cache.requireConnected();
    const { entry } = nodeEntry(cache, node, path);
    return json(pathPolicy(await policyInputs(cache), node, entry));
  });
}
