// The pool drift reports: JSON for tools (the GET reply with its format named), CSV for spreadsheets, a Markdown
// summary for a support case. Sensitive contents are masked unless the reader asked to reveal them and may.
import 'server-only';
import type { PoolDriftReport } from '../lib/api/pooldrift';
import { driftCsv, driftMarkdown } from '../lib/mco/pooldrift';
import type { Identity } from './auth';
import type { ClusterCache } from './cache';
import { badRequest } from './errors';
import { poolDrift } from './pooldrift';

const FORMATS = {
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  md: { type: 'text/markdown; charset=utf-8', ext: 'md' },
} as const;

/** GET /api/pools/<pool>/drift/report?format=json|csv|md[&reveal=1]: a download. */
export async function poolDriftReport(cache: ClusterCache, id: Identity, pool: string, url: URL): Promise<Response> {
  const format = url.searchParams.get('format') ?? 'json';
  if (!(format in FORMATS)) throw badRequest('format must be json, csv or md');
  const f = FORMATS[format as keyof typeof FORMATS];
  const reply = await poolDrift(cache, id, pool, url);
  const generatedAt = new Date().toISOString();
  let body: string;
  if (format === 'json') {
    const report: PoolDriftReport = { report: 'plumb.pooldrift/v1', generatedAt, ...reply };
    body = JSON.stringify(report, null, 2) + '\n';
  } else {
    body = format === 'csv' ? driftCsv(reply) : driftMarkdown(reply);
  }
  const stamp = (reply.result?.checkedAt ?? generatedAt).replace(/[:.]/g, '-');
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': f.type,
      'content-disposition': `attachment; filename="plumb-drift-${pool}-${stamp}.${f.ext}"`,
      'cache-control': 'no-store',
    },
  });
}
