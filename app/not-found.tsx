import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-2 text-sm">
      <h1 className="text-base font-semibold text-fg">Page not found</h1>
      <Link href="/" className="text-accent hover:underline">
        Back to pipelines
      </Link>
    </main>
  );
}
