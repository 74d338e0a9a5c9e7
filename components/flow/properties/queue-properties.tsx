'use client';

import type { QueueData } from '@/lib/pipeline/schema';
import { PanelSection } from './panel-section';
import { FlowControlFields } from './queue/flow-control-fields';
import { MessageDefaultsFields } from './queue/message-defaults-fields';
import { QueueControls } from './queue/queue-controls';
import { RetentionFields } from './queue/retention-fields';
import { RetryFields } from './queue/retry-fields';
import { useNodeForm, type Update } from './use-node-form';

export function QueueProperties({ id, data, update }: { id: string; data: QueueData; update: Update<QueueData> }) {
  const form = useNodeForm('queue', data, update);
  return (
    <>
      <QueueControls id={id} />
      <PanelSection title="Retries">
        <RetryFields form={form} />
      </PanelSection>
      <PanelSection title="Flow control">
        <FlowControlFields form={form} />
      </PanelSection>
      <PanelSection title="New messages">
        <MessageDefaultsFields form={form} />
      </PanelSection>
      <PanelSection title="Retention">
        <RetentionFields form={form} />
      </PanelSection>
    </>
  );
}
