import { PoolsPage } from '@/components/pages/PoolsPage';
import { pageData } from '@/server/pagedata';
import { POOLS_READS, poolsFirstScreen } from '@/server/views/pools';

export default async function Page() {
  // The pools in the document, read as the user, as GET /api/pools is.
  return <PoolsPage first={await pageData(POOLS_READS, poolsFirstScreen)} />;
}
