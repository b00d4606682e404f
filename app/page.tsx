import { Overview } from '@/components/pages/Overview';

export default function Page() {
  return <Overview />;
}
