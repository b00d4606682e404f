import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { adoptRequest } from '@/server/plan';
import { nodePath, objectName } from '@/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/plan/adopt?node=<node>&path=<path>: the MachineConfig that declares what the node has at path. */
export async function GET(req: Request) {
  return handle(async () => {
    const q = new URL(req.url).searchParams;
    return json(await adoptRequest(req, getCache(), objectName(q.get('node'), 'node'), nodePath(q.get('path'))));
  });
}
