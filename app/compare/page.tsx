import { Suspense } from 'react';
import { ComparePage } from '@/components/pages/ComparePage';

export default function Page() {
  return (
    <Suspense>
      <ComparePage />
    </Suspense>
  );
}
