import Link from 'next/link';
import { SignOutButton } from './sign-out-button';

export function Logo() {
  return (
    <span className="flex items-center gap-2">
      <svg viewBox="0 0 20 20" className="size-5 text-accent" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.8">
        <rect x="2" y="6" width="5" height="8" rx="1.5" />
        <rect x="13" y="6" width="5" height="8" rx="1.5" />
        <path d="M7 10h6" strokeLinecap="round" />
      </svg>
      <span className="text-sm font-semibold tracking-tight text-fg">Conveyor</span>
    </span>
  );
}

/** The signed-in header: product name, navigation, the user and sign-out. */
export function AppHeader({ email }: { email: string }) {
  return (
    <header className="flex h-11 shrink-0 items-center gap-4 border-b border-border bg-surface px-4">
      <Link href="/" aria-label="Conveyor: pipelines">
        <Logo />
      </Link>
      <nav className="flex items-center gap-1 text-sm">
        <Link href="/" className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-fg">
          Pipelines
        </Link>
      </nav>
      <div className="ml-auto flex items-center gap-3">
        <span className="text-xs text-muted" data-testid="current-user">
          {email}
        </span>
        <SignOutButton />
      </div>
    </header>
  );
}
