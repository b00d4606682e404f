import { handle, notFound } from '@/server/errors';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// Unknown /api paths answer JSON, not the HTML 404 page.
async function missing(req: Request) {
  return handle(() => {
    throw notFound(`no such API endpoint: ${req.method} ${new URL(req.url).pathname}`);
  });
}
export { missing as GET, missing as POST, missing as PUT, missing as PATCH, missing as DELETE };
