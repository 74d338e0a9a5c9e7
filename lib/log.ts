import { loadEnv } from './env';

/**
 * One-line JSON logs on stderr/stdout: easy to grep by eye, easy to ship to a
 * log pipeline. Level from LOG_LEVEL.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

let threshold: number | undefined;

function emit(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (threshold === undefined) {
    try {
      threshold = LEVELS[loadEnv().LOG_LEVEL];
    } catch {
      threshold = LEVELS.info;
    }
  }
  if (LEVELS[level] < threshold) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => emit('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => emit('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => emit('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => emit('error', msg, fields),
};
