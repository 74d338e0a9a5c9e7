import { log } from '../log';
import type { RuntimeContext } from '../runtime/context';
import { pipelineStats } from './pipeline-stats';

/** Server-Sent Events: one `stats` event a second until the client goes away. */
export function statsEventStream(pipelineId: string, runtime: RuntimeContext, signal: AbortSignal, intervalMs = 1000) {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      signal.addEventListener('abort', close);
      controller.enqueue(encoder.encode('retry: 2000\n\n'));
      const tick = async () => {
        if (closed) return;
        try {
          const stats = await pipelineStats(pipelineId, runtime);
          if (closed) return;
          controller.enqueue(encoder.encode(`event: stats\ndata: ${JSON.stringify(stats)}\n\n`));
        } catch (e) {
          // A Redis hiccup skips a beat; the stream stays open and the next tick tries again.
          log.warn('stats stream tick failed', { pipelineId, error: (e as Error).message });
          if (!closed) controller.enqueue(encoder.encode(`: stats unavailable\n\n`));
        }
        if (!closed) timer = setTimeout(tick, intervalMs);
      };
      void tick();
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
}
