/** @type {import('next').NextConfig} */
const nextConfig = {
  // client-node is ESM-only and uses Node APIs: keep it out of the server bundle.
  serverExternalPackages: ['@kubernetes/client-node', 'ws'],
  poweredByHeader: false,
  // Parallel builds (tests, benchmarks) may each use their own output folder.
  distDir: process.env.PLUMB_DIST_DIR || '.next',
  // Air-gapped clusters: nothing may reach the internet at run time.
  images: { unoptimized: true },
};
export default nextConfig;
