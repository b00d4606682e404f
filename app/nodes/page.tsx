import { Suspense } from 'react';
import { NodesPage } from '@/components/pages/NodesPage';

export default function Page() {
  return (
    <Suspense>
      <NodesPage />
    </Suspense>
  );
}
