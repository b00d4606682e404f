// Start the cluster cache as soon as the Next server boots, so the first page view finds it warm.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getCache } = await import('./server/cache');
    getCache();
  }
}
