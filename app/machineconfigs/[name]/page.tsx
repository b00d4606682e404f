import { Suspense } from 'react';
import { MachineConfigPage } from '@/components/pages/MachineConfigPage';

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense>
      <MachineConfigPage name={decodeURIComponent(name)} />
    </Suspense>
  );
}
