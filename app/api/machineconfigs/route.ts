import { route } from '@/server/route';
import { machineConfigsReply } from '@/server/views/machineconfigs';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = route({ reads: ['machineconfigs'] }, ({ cache }) => machineConfigsReply(cache));
