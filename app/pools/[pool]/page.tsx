import { PoolPage } from '@/components/pages/PoolPage';

export default async function Page({ params }: { params: Promise<{ pool: string }> }) {
  const { pool } = await params;
  return <PoolPage name={decodeURIComponent(pool)} />;
}
