import { whoami } from '@/server/auth';
import { json } from '@/server/errors';
import { route } from '@/server/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({}, async ({ req, cache }) => {
  const { reply, setCookie } = await whoami(req, cache);
  return json(reply, 200, setCookie ? { 'set-cookie': setCookie } : {});
});
