import { Suspense } from 'react';
import { MachineConfigsPage } from '@/components/pages/MachineConfigsPage';

export default function Page() {
  return (
    <Suspense>
      <MachineConfigsPage />
    </Suspense>
  );
}
