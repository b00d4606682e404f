import { pausePool } from '@/server/actions';
import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(req: Request, { params }: { params: Promise<{ pool: string }> }) {
  return handle(async () => json(await pausePool(req, getCache(), (await params).pool)));
}
