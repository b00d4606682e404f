import { Overview } from '@/components/pages/Overview';
import { pageData } from '@/server/pagedata';
import { POOLS_READS, poolsFirstScreen } from '@/server/views/pools';

export default async function Page() {
  // The pools and what needs attention in the document, read as the user, as GET /api/pools is.
  return <Overview first={await pageData(POOLS_READS, poolsFirstScreen)} />;
}
