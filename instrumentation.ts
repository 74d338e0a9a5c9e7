/**
 * Next.js calls register() once per server process, before it serves
 * requests (next start and next dev; not during next build). Conveyor uses
 * it for the one background job of the app process: copying finished runs
 * from Redis to the SQL run history (lib/runs/). Workers never do this:
 * they never touch SQL.
 */
export async function register(): Promise<void> {
  // Node.js runtime only; the import stays inside the branch so the Edge build never bundles it.
  // (NEXT_RUNTIME is Next's own build-time switch, not configuration, so it is read here, not in lib/env.ts.)
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startRunHistory } = await import('./lib/runs/start-run-history');
  const { log } = await import('./lib/log');
  try {
    startRunHistory();
  } catch (e) {
    // A throw here would stop the server from starting; the API still works without history, so say so and go on.
    log.error('run history flusher not started; finished runs stay in Redis only', { error: (e as Error).message });
  }
}
