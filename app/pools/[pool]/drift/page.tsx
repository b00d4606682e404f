import { Suspense } from 'react';
import { PoolDriftPage } from '@/components/pooldrift/PoolDriftPage';
import { Loading } from '@/components/ui';

export default async function Page({ params }: { params: Promise<{ pool: string }> }) {
  const { pool } = await params;
  return (
    <Suspense fallback={<Loading height={300} />}>
      <PoolDriftPage pool={decodeURIComponent(pool)} />
    </Suspense>
  );
}
