import type { Metadata } from 'next';
import { AuthCard } from '@/components/auth/auth-card';
import { SetupForm } from '@/components/auth/setup-form';
import { requireSetupPending } from '../_server/auth-guard';

export const metadata: Metadata = { title: 'Set up' };

export default async function SetupPage() {
  await requireSetupPending();
  return (
    <AuthCard title="Welcome to Conveyor" subtitle="Create the administrator account. You can add API keys for other clients later.">
      <SetupForm />
    </AuthCard>
  );
}
