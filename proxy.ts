// Next's proxy (the request front inside Next): a foreign Host or a malformed URL is refused before any page or
// route handler runs, and every reply carries the security headers. The production server (scripts/serve.mjs) runs
// the same check in front of Next; this one is what guards `next dev`.
import { NextResponse, type NextRequest } from 'next/server';
import { front } from './server/security';

export function proxy(req: NextRequest) {
  const raw = req.nextUrl.pathname + req.nextUrl.search;
  const v = front(raw, req.headers.get('host'), process.env.NODE_ENV !== 'production');
  if (v.refuse) {
    return NextResponse.json(
      { error: v.refuse.error, message: v.refuse.message },
      { status: v.refuse.status, headers: { ...v.headers, 'cache-control': 'no-store' } },
    );
  }
  const res = NextResponse.next();
  for (const [k, val] of Object.entries(v.headers)) res.headers.set(k, val);
  return res;
}
