import { useEffect, useRef, useState } from 'react';
import { api, redirectToLogin } from '@/lib/client/api-client';
import type { PipelineStats } from '@/lib/client/types';

export type StreamStatus = 'idle' | 'connecting' | 'live' | 'offline';

/**
 * Subscribes to a pipeline's `stats` Server-Sent Events while `enabled`.
 * EventSource reconnects by itself after a dropped connection; it gives up
 * only when the server answers with an error status (401 after the session
 * ended, 404 after a delete), so then we ask whether we are still signed in
 * and try again later ourselves.
 */
export function useStatsStream(
  pipelineId: string,
  enabled: boolean,
  onStats: (stats: PipelineStats) => void,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('idle');
  const onStatsRef = useRef(onStats);
  useEffect(() => {
    onStatsRef.current = onStats;
  }, [onStats]);

  useEffect(() => {
    if (!enabled) {
      setStatus('idle');
      return;
    }
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const open = () => {
      if (stopped) return;
      setStatus('connecting');
      source = new EventSource(api.statsStreamUrl(pipelineId));
      source.addEventListener('open', () => setStatus('live'));
      source.addEventListener('stats', (event) => {
        let stats: PipelineStats;
        try {
          stats = JSON.parse((event as MessageEvent<string>).data) as PipelineStats;
        } catch {
          return;
        }
        setStatus('live');
        onStatsRef.current(stats);
      });
      source.addEventListener('error', () => {
        if (!source || source.readyState !== EventSource.CLOSED) {
          setStatus('connecting');
          return;
        }
        source = null;
        setStatus('offline');
        void api
          .authStatus()
          .then((s) => {
            if (!s.user) redirectToLogin();
          })
          .catch(() => undefined)
          .finally(() => {
            if (!stopped) retry = setTimeout(open, 5000);
          });
      });
    };
    open();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [pipelineId, enabled]);

  return status;
}
