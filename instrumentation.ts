// Start the cluster cache as soon as the Next server boots, so the first page view finds it warm, and hand the
// production server its front (server/security.ts: Host check, security headers) and its fast path for the hottest
// reads (server/fastreads.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getCache } = await import('./server/cache');
    const { registerFastReads } = await import('./server/fastreads');
    const { front } = await import('./server/security');
    const { setProcessSingleton } = await import('./server/singleton');
    getCache();
    registerFastReads();
    setProcessSingleton('front', front);
  }
}
