import { route } from '@/server/route';
import { policyInputs } from '@/server/policywatch';
import { pathPolicyQuery } from '@/server/validate';
import { nodeEntry, pathPolicy } from '@/server/views/disruption';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/nodes/:node/policy?path=: what the cluster's disruption policy does when that managed path changes. */
export const GET = route(
  { names: { node: 'node' }, reads: ['nodes', 'machineconfigs'], query: pathPolicyQuery },
  async ({ cache, query, names }) => {
    const { entry } = nodeEntry(cache, names.node, query.path);
    return pathPolicy(await policyInputs(cache), names.node, entry);
  },
);
