import { log } from '../log';
import { getServices } from '../services';
import { RunHistoryFlusher } from './run-history-flusher';

/**
 * The app process's one run-history flusher, started from instrumentation.ts
 * (Next's register(), once per server process). On globalThis, like the
 * services, so Next's dev reload never starts a second one.
 *
 * SIGTERM/SIGINT stop it gracefully: the batch under way is written and
 * acknowledged. Next's own handler closes the server and exits meanwhile; if
 * it exits first, the unacknowledged batch is claimed and written again by
 * the next flusher (see run-history-flusher.ts), so nothing is lost.
 */
const holder = globalThis as unknown as { __conveyorRunHistory?: RunHistoryFlusher };

export function startRunHistory(): RunHistoryFlusher {
  if (holder.__conveyorRunHistory) return holder.__conveyorRunHistory;
  const services = getServices();
  const flusher = new RunHistoryFlusher(services, { historyDays: services.env.RUN_HISTORY_DAYS });
  holder.__conveyorRunHistory = flusher;
  flusher.start();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void flusher.stop().finally(() => {
        // Alone on this signal (Next's handler is off with NEXT_MANUAL_SIG_HANDLE): do what the default would.
        if (process.listenerCount(signal) === 0) process.exit(signal === 'SIGTERM' ? 143 : 130);
      });
    });
  }
  log.info('run history flusher started', { consumer: flusher.consumer, historyDays: services.env.RUN_HISTORY_DAYS });
  return flusher;
}

/** Stops the process's flusher, if one runs (tests, scripts). */
export async function stopRunHistory(): Promise<void> {
  const flusher = holder.__conveyorRunHistory;
  holder.__conveyorRunHistory = undefined;
  await flusher?.stop();
}
