// /metrics under `next dev`; the production server answers it before Next (scripts/serve.mjs), where request
// latency and actions are recorded too.
import { scrape } from '@/server/metrics';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request) {
  const r = await scrape(req.headers.get('authorization'));
  return new Response(r.body, {
    status: r.status,
    headers: { 'content-type': r.contentType, 'cache-control': 'no-store' },
  });
}
