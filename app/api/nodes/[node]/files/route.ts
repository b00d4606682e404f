import { identify, permissions, requireKubeConfig } from '@/server/auth';
import { getCache } from '@/server/cache';
import { forbidden, handle, json } from '@/server/errors';
import { fileView } from '@/server/nodefiles';
import { nodePath, objectName } from '@/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request, { params }: { params: Promise<{ node: string }> }) {
  return handle(async () => {
    const node = objectName((await params).node, 'node');
    const url = new URL(req.url);
    const path = nodePath(url.searchParams.get('path'));
    const cache = getCache();
    await cache.requireConnected();
    const id = identify(req, cache);
    const kc = requireKubeConfig(id);
    let reveal = false;
    if (url.searchParams.get('reveal') === '1') {
      const p = await permissions(id);
      if (!p.can.revealSensitive) throw forbidden(p.why.revealSensitive ?? 'you may not reveal sensitive files');
      reveal = true;
    }
    return json(await fileView(cache, kc, node, path, { reveal }));
  });
}
