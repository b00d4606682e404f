// Data a page renders into its document on the server, read as the requesting user exactly as the /api route that
// serves the same data would (server/route.ts): identified from the page request's headers, and, for a forwarded
// user, allowed to list and watch what it is made of. Anything short of that (no token, a refusal, a cluster not yet
// connected, an object that is not there) yields null, and the page fetches the data itself and shows the error.
import 'server-only';
import { headers } from 'next/headers';
import { identify, requireReads, type Identity, type ReadResource } from './auth';
import { getCache, type ClusterCache } from './cache';
import { ApiFailure } from './errors';

export async function pageData<T>(
  reads: ReadResource[],
  read: (cache: ClusterCache, id: Identity) => T | Promise<T>,
): Promise<T | null> {
  // The page request's own headers: the forwarded token, when the console runs with one per user. Outside the try:
  // reading them is also what tells Next the page is rendered per request, and it signals that by throwing.
  const req = new Request('http://page.invalid/', { headers: await headers() });
  try {
    const cache = getCache();
    const id = identify(req, cache);
    // No waiting here: a page is sent at once, and one without its data fetches it (and waits) from the browser.
    await cache.requireConnected(0);
    await requireReads(id, reads, cache.kc);
    return await read(cache, id);
  } catch (err) {
    // A refusal or an absence is the browser's fetch to report; anything else is a fault here, worth a log line.
    if (!(err instanceof ApiFailure)) console.error('page data:', err);
    return null;
  }
}
