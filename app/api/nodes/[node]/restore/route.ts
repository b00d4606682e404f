import { restoreFile } from '@/server/actions';
import { getCache } from '@/server/cache';
import { handle, json } from '@/server/errors';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(req: Request, { params }: { params: Promise<{ node: string }> }) {
  return handle(async () => json(await restoreFile(req, getCache(), (await params).node)));
}
