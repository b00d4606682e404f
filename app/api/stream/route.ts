import { visibleKinds } from '@/server/auth';
import { config } from '@/server/config';
import { route } from '@/server/route';
import { eventStream } from '@/server/stream';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// The stream reports the connection status itself, so it does not wait for the cluster; it carries only the change
// notices of kinds the user may list and watch, checked again while it is open (a revoked user stops receiving).
export const GET = route({ connected: false }, async ({ req, cache, id }) => {
  const recheck =
    id.key === 'kubeconfig'
      ? undefined
      : { kinds: () => visibleKinds(id, cache.kc), everyMs: config().streamRecheckMs };
  return eventStream(req, cache, await visibleKinds(id, cache.kc), recheck, id.key);
});
