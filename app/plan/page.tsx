import { Suspense } from 'react';
import { PlanPage } from '@/components/plan/PlanPage';

export default function Page() {
  return (
    <Suspense>
      <PlanPage />
    </Suspense>
  );
}
