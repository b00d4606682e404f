import { guardSameOrigin } from '@/server/auth';
import { route } from '@/server/route';
import { MAX_VIEW, setStreamView } from '@/server/stream';
import { badRequest } from '@/server/errors';
import { jsonBody, objectName } from '@/server/validate';
import type { StreamViewBody } from '@/lib/api/types';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// The rows of a pool a page has on screen, for its own delta stream (lib/api/types.ts StreamViewBody). It changes
// nothing in the cluster and only the stream's own user may set it, so the stream id (sent only on the stream)
// stands in for a CSRF token; another site's page is still refused.
export const POST = route({ connected: false }, async ({ req, id }) => {
  guardSameOrigin(req);
  const body = await jsonBody<StreamViewBody>(req);
  if (typeof body.id !== 'string' || !/^[0-9a-f-]{36}$/.test(body.id))
    throw badRequest('id must be the stream id from its hello event');
  const pool = objectName(typeof body.pool === 'string' ? body.pool : null, 'pool');
  if (!Array.isArray(body.names) || body.names.length > MAX_VIEW)
    throw badRequest(`names must be an array of at most ${MAX_VIEW} node names`);
  const names = body.names.map((n: unknown) => objectName(typeof n === 'string' ? n : null, 'node'));
  setStreamView(body.id, id.key, pool, names);
  return { ok: true };
});
