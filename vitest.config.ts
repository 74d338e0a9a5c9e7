import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` for pure code (*.test.ts beside it) and `int` for code
// that talks to the real Redis and database (*.int.test.ts), run one file at a
// time so suites that share the local Redis do not trip over each other.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{lib,workers,app,components,scripts}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['{lib,workers,app,scripts}/**/*.int.test.ts'],
          environment: 'node',
          // Worker and app logs are for operators; tests assert outcomes instead.
          env: { LOG_LEVEL: 'error' },
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
