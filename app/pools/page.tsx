import { PoolsPage } from '@/components/pages/PoolsPage';

export default function Page() {
  return <PoolsPage />;
}
