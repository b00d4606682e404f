import { PoolPage } from '@/components/pages/PoolPage';
import { nodeTableViewOf } from '@/lib/api/node-table';
import { pageData } from '@/server/pagedata';
import { POOL_READS, poolFirstScreen } from '@/server/views/pools';

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ pool: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { pool } = await params;
  const name = decodeURIComponent(pool);
  const view = nodeTableViewOf(await searchParams);
  // The first rows in the document, so the table shows before the page's scripts have loaded and fetched the pool;
  // read as the user, as GET /api/pools/<pool> is.
  const first = await pageData(POOL_READS, (cache) => poolFirstScreen(cache, name, view));
  return <PoolPage name={name} first={first} />;
}
