import type { Metadata } from 'next';
import { AuthCard } from '@/components/auth/auth-card';
import { LoginForm } from '@/components/auth/login-form';
import { redirectIfSignedIn } from '../_server/auth-guard';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await redirectIfSignedIn();
  const next = (await searchParams).next;
  return (
    <AuthCard title="Sign in" subtitle="Sign in to design, deploy and watch your pipelines.">
      <LoginForm next={typeof next === 'string' ? next : undefined} />
    </AuthCard>
  );
}
