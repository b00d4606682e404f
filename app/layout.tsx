import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { LiveProvider } from '@/components/data/LiveProvider';
import { Shell } from '@/components/Shell';
import './globals.css';

export const metadata: Metadata = {
  title: 'Plumb',
  description: 'MachineConfigPools and node configuration drift',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <LiveProvider>
          <Shell>{children}</Shell>
        </LiveProvider>
      </body>
    </html>
  );
}
