import { requireKubeConfig, revealAllowed } from '@/server/auth';
import { fileView } from '@/server/nodefiles';
import { route } from '@/server/route';
import { nodeFileQuery } from '@/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route(
  { names: { node: 'node' }, reads: ['nodes', 'machineconfigs'], query: nodeFileQuery },
  async ({ cache, id, query, names }) => {
    const kc = requireKubeConfig(id);
    const reveal = await revealAllowed(query, id, cache.kc);
    return fileView(cache, kc, names.node, query.path, { reveal });
  },
);
