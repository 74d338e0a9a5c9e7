import type { Metadata } from 'next';
import { PipelineEditor } from '@/components/flow/pipeline-editor';
import { AppHeader } from '@/components/shell/app-header';
import { requireUser } from '../../_server/auth-guard';

export const metadata: Metadata = { title: 'Editor' };

export default async function PipelinePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/pipelines/${encodeURIComponent(id)}`);
  return (
    <div className="flex h-dvh flex-col overflow-hidden">
      <AppHeader email={user.email} />
      <main className="flex min-h-0 flex-1 flex-col">
        <PipelineEditor pipelineId={id} />
      </main>
    </div>
  );
}
