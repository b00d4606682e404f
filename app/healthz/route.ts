// Liveness under `next dev`; the production server answers it before Next (scripts/serve.mjs).
import { healthReply } from '@/server/health';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET() {
  const r = healthReply('/healthz');
  return new Response(r.body, {
    status: r.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
