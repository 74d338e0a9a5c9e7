import { PipelineList } from '@/components/dashboard/pipeline-list';
import { AppHeader } from '@/components/shell/app-header';
import { requireUser } from './_server/auth-guard';

export default async function PipelinesPage() {
  const user = await requireUser();
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader email={user.email} />
      <main className="flex-1">
        <PipelineList />
      </main>
    </div>
  );
}
