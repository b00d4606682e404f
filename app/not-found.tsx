import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="py-10 text-center">
      <h1 className="mb-2 text-xl font-semibold">Not found</h1>
      <p className="text-muted">
        This page does not exist. Go back to the <Link href="/">overview</Link>.
      </p>
    </div>
  );
}
