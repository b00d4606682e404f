// Start the cluster cache as soon as the Next server boots, so the first page view finds it warm, and hand the
// production server its front (server/security.ts: Host check, security headers), its fast path for the hottest
// reads (server/fastreads.ts), its probes (server/health.ts) and its metrics recorders (server/metrics.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getCache } = await import('./server/cache');
    const { registerFastReads } = await import('./server/fastreads');
    const { registerHealth } = await import('./server/health');
    const { registerMetrics } = await import('./server/metrics');
    const { front } = await import('./server/security');
    const { setProcessSingleton } = await import('./server/singleton');
    getCache();
    registerFastReads();
    registerHealth();
    registerMetrics();
    setProcessSingleton('front', front);
  }
}
