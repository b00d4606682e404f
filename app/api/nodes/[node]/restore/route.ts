import { restoreFile } from '@/server/actions';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = route({ names: { node: 'node' } }, ({ req, cache, names }) => restoreFile(req, cache, names.node));
