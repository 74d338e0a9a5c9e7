'use client';

import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { useEditor } from './editor-context';
import { selectIsDirty } from './editor-store';
import { TestMessage } from './test-message';
import { useEditorActions } from './use-editor-actions';

export function Toolbar() {
  const name = useEditor((s) => s.name);
  const setName = useEditor((s) => s.setName);
  const dirty = useEditor(selectIsDirty);
  const busy = useEditor((s) => s.busy);
  const deployedVersion = useEditor((s) => s.deployedVersion);
  const deployedAt = useEditor((s) => s.deployedAt);
  // null: the server does not say (older server); then nothing is shown rather than a guess.
  const draftChanged = useEditor((s) => s.draftChanged === true && s.deployedVersion !== null);
  const { save, deploy, undeploy } = useEditorActions();

  return (
    <div className="flex h-11 shrink-0 items-center gap-2 border-b border-border bg-surface px-3">
      <Link href="/" className="text-xs text-muted hover:text-fg" data-testid="back-to-pipelines">
        Pipelines
      </Link>
      <span className="text-subtle">/</span>
      <input
        data-testid="pipeline-name-input"
        aria-label="Pipeline name"
        value={name}
        maxLength={120}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
        }}
        className={cx(
          'field-sizing-content h-7 max-w-96 min-w-24 rounded-md border border-transparent bg-transparent px-1.5 text-sm font-semibold text-fg',
          'hover:border-border focus:border-accent focus:bg-surface focus:outline-2 focus:outline-accent/25',
          !name.trim() && 'border-danger',
        )}
      />
      {dirty ? (
        <span
          data-testid="dirty-indicator"
          className="flex items-center gap-1 text-xs text-warning"
          title="There are changes that are not saved"
        >
          <span className="size-1.5 rounded-full bg-warning" aria-hidden />
          Unsaved changes
        </span>
      ) : null}

      <div className="ml-auto flex items-center gap-2">
        {deployedVersion !== null ? (
          <Badge
            tone="success"
            data-testid="deployed-version"
            title={deployedAt ? `Deployed version, since ${new Date(deployedAt).toLocaleString()}` : 'Deployed version'}
          >
            <span className="size-1.5 rounded-full bg-success" aria-hidden />v{deployedVersion}
          </Badge>
        ) : (
          <Badge data-testid="draft-badge">Draft</Badge>
        )}
        {draftChanged ? (
          <Badge tone="warning" data-testid="draft-changed" title="The saved draft has changes that are not deployed yet. Redeploy to apply them.">
            draft differs from v{deployedVersion}
          </Badge>
        ) : null}
        <TestMessage />
        <span className="mx-1 h-5 w-px bg-border" aria-hidden />
        <Button
          data-testid="save-button"
          onClick={() => void save()}
          disabled={busy !== null}
          title="Save the draft (Ctrl+S)"
        >
          {busy === 'saving' ? 'Saving…' : 'Save'}
        </Button>
        {deployedVersion !== null ? (
          <Button data-testid="undeploy-button" variant="danger" onClick={() => void undeploy()} disabled={busy !== null}>
            {busy === 'undeploying' ? 'Undeploying…' : 'Undeploy'}
          </Button>
        ) : null}
        <Button data-testid="deploy-button" variant="primary" onClick={() => void deploy()} disabled={busy !== null}>
          {busy === 'deploying' ? 'Deploying…' : deployedVersion !== null ? 'Redeploy' : 'Deploy'}
        </Button>
      </div>
    </div>
  );
}
