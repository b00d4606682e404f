import { getCache } from '@/server/cache';
import { eventStream } from '@/server/stream';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request) {
  return eventStream(req, getCache());
}
