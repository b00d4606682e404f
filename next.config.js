/** @type {import('next').NextConfig} */
const nextConfig = {
  // client-node is ESM-only and uses Node APIs: keep it out of the server bundle.
  // prom-client: one registry per process, not one per route bundle.
  serverExternalPackages: ['@kubernetes/client-node', 'ws', 'prom-client'],
  // The container image (deploy/Containerfile) ships <distDir>/standalone: the server files and only the
  // node_modules they use. `npm start` (scripts/serve.mjs) keeps working from the project folder as before.
  output: 'standalone',
  poweredByHeader: false,
  // Parallel builds (tests, benchmarks) may each use their own output folder.
  distDir: process.env.PLUMB_DIST_DIR || '.next',
  // Air-gapped clusters: nothing may reach the internet at run time.
  images: { unoptimized: true },
  experimental: {
    // The styles in the document rather than a stylesheet it must fetch first: nothing holds back the first paint,
    // so a page the server rendered with its data (a pool's first rows) shows before its scripts have loaded.
    inlineCss: true,
  },
};
export default nextConfig;
