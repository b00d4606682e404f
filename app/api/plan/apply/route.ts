import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';
import { applyRequest } from '@/server/plan';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(req: Request) {
  return handle(async () => json(await applyRequest(req, getCache())));
}
