'use client';

import { useCallback, useEffect } from 'react';
import { useStatsStream, type StreamStatus } from '@/components/hooks/use-stats-stream';
import type { PipelineStats } from '@/lib/client/types';
import { useEditor } from './editor-context';

/**
 * Feeds the stats stream into the store while the pipeline is deployed.
 * Renders nothing; reports the stream's state to whoever shows it.
 */
export function useStatsFeed(): StreamStatus {
  const pipelineId = useEditor((s) => s.pipelineId);
  const deployed = useEditor((s) => s.deployedVersion !== null);
  const setStats = useEditor((s) => s.setStats);
  const onStats = useCallback((stats: PipelineStats) => setStats(stats), [setStats]);
  const status = useStatsStream(pipelineId, deployed, onStats);
  useEffect(() => {
    if (!deployed) setStats(null);
  }, [deployed, setStats]);
  return status;
}
