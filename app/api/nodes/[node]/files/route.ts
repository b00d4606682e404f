import { requireKubeConfig, revealRequested } from '@/server/auth';
import { fileView } from '@/server/nodefiles';
import { route } from '@/server/route';
import { nodePath } from '@/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route(
  { names: { node: 'node' }, reads: ['nodes', 'machineconfigs'] },
  async ({ cache, id, url, names }) => {
    const path = nodePath(url.searchParams.get('path'));
    const kc = requireKubeConfig(id);
    const reveal = await revealRequested(url, id, cache.kc);
    return fileView(cache, kc, names.node, path, { reveal });
  },
);
