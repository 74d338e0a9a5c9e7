/**
 * `npm start` (production) and `npm run dev`: the whole product in one command.
 * Redis from REDIS_URL or a private redis-server; the database migrated; the
 * app built when its sources are newer than the build; then the Next.js
 * server and the worker processes, supervised: a worker that dies is
 * restarted, SIGINT/SIGTERM stop everything gracefully.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { EnvError, parseEnv, type Env } from '../lib/env';
import { bootstrapAdmin } from './bootstrap-admin';
import { applyMigrations } from '../lib/db/migrate';
import { hasRedisServer, startLocalRedis, type LocalRedis } from './local-redis';

const dev = process.argv.includes('--dev');
const root = process.cwd();
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const say = (msg: string) => process.stdout.write(`[conveyor] ${msg}\n`);
const fail = (msg: string): never => {
  process.stderr.write(`[conveyor] ${msg}\n`);
  process.exit(1);
};

const children = new Set<ChildProcess>();
let localRedis: LocalRedis | undefined;
let stopping = false;

async function main() {
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (e) {
    if (e instanceof EnvError) fail(e.message);
    throw e;
  }
  mkdirSync(env.DATA_DIR, { recursive: true });
  const secret = env.SESSION_SECRET ?? loadOrCreateSecret(env.DATA_DIR);
  const redisUrl = env.REDIS_URL ?? (await startPrivateRedis(env.DATA_DIR));
  await checkRedis(redisUrl);

  const t0 = Date.now();
  await applyMigrations(env.DATABASE_URL);
  say(`database ready (${env.DATABASE_URL.startsWith('file:') ? 'SQLite' : 'PostgreSQL'}, ${Date.now() - t0} ms)`);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: dev ? 'development' : 'production',
    DATA_DIR: env.DATA_DIR,
    DATABASE_URL: env.DATABASE_URL,
    REDIS_URL: redisUrl,
    SESSION_SECRET: secret,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  await bootstrapAdmin(env);

  if (!dev && needsBuild()) {
    say('building the app (first start, or sources changed)...');
    const t = Date.now();
    const res = spawnSync(process.execPath, [bin('next'), 'build'], { stdio: 'inherit', env: { ...childEnv, NODE_ENV: 'production' } });
    if (res.status !== 0) fail('the build failed; see the output above.');
    say(`built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }

  const nextArgs = [bin('next'), dev ? 'dev' : 'start', '-p', String(env.PORT), '-H', env.HOST];
  runChild('app', process.execPath, nextArgs, childEnv, { critical: true });
  for (let i = 0; i < env.WORKER_PROCESSES; i++) {
    const args = dev ? [bin('tsx'), 'watch', 'workers/main.ts'] : [bin('tsx'), 'workers/main.ts'];
    runChild(`worker-${i + 1}`, process.execPath, args, childEnv, { critical: false });
  }
  await waitForApp(env.PORT);
  say(`Conveyor is running at http://localhost:${env.PORT} (${env.WORKER_PROCESSES} worker process${env.WORKER_PROCESSES === 1 ? '' : 'es'}, Redis ${redisUrl})`);
}

function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

async function startPrivateRedis(dataDir: string): Promise<string> {
  if (!hasRedisServer()) {
    fail(
      'Conveyor needs Redis 6.2 or newer. Either set REDIS_URL (for example REDIS_URL=redis://127.0.0.1:6379 npm start), ' +
        'or install redis-server so Conveyor can start its own (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis).',
    );
  }
  localRedis = await startLocalRedis({ dataDir: path.join(dataDir, 'redis') });
  localRedis.process.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`[conveyor] the private redis-server exited (code ${code}); stopping.\n`);
      void shutdown(1);
    }
  });
  say(`started a private redis-server on port ${localRedis.port} (data in ${path.join(dataDir, 'redis')})`);
  return localRedis.url;
}

async function checkRedis(url: string) {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
    const policy = (await r.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    if (policy[1] && policy[1] !== 'noeviction') {
      say(`warning: Redis maxmemory-policy is ${policy[1]}; BullMQ needs noeviction or jobs can vanish under memory pressure.`);
    }
  } catch (e) {
    fail(`cannot reach Redis at ${url} (${(e as Error).message.replace(/\.$/, "")}). Check REDIS_URL, or unset it to let Conveyor start its own redis-server.`);
  } finally {
    r.disconnect();
  }
}

/** A production build exists and is newer than every source file. */
function needsBuild(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const newest = (p: string): number => {
    if (!existsSync(p)) return 0;
    const st = statSync(p);
    if (!st.isDirectory()) return st.mtimeMs;
    let max = 0;
    for (const entry of readdirSync(p)) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      max = Math.max(max, newest(path.join(p, entry)));
    }
    return max;
  };
  // lib/ includes the generated Prisma client, so a regenerated client rebuilds too.
  const sources = ['app', 'components', 'lib', 'instrumentation.ts', 'next.config.js', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];
  return sources.some((s) => newest(path.join(root, s)) > builtAt);
}

function runChild(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, opts: { critical: boolean }, restarts = 0) {
  const child = spawn(cmd, args, { env, stdio: 'inherit' });
  children.add(child);
  const startedAt = Date.now();
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (stopping) return;
    if (opts.critical) {
      process.stderr.write(`[conveyor] ${name} exited (${signal ?? code}); stopping.\n`);
      void shutdown(1);
      return;
    }
    // A worker that crashes is restarted, with backoff if it keeps crashing.
    const quick = Date.now() - startedAt < 10_000;
    const delay = quick ? Math.min(30_000, 500 * 2 ** Math.min(restarts, 6)) : 500;
    process.stderr.write(`[conveyor] ${name} exited (${signal ?? code}); restarting in ${delay} ms.\n`);
    setTimeout(() => !stopping && runChild(name, cmd, args, env, opts, quick ? restarts + 1 : 0), delay);
  });
}

async function waitForApp(port: number) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200 || res.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  const exits = [...children].map(
    (c) =>
      new Promise<void>((resolve) => {
        if (c.exitCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 20_000).unref();
      }),
  );
  await Promise.all(exits);
  if (localRedis) await localRedis.stop();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch((e) => {
  process.stderr.write(`[conveyor] start failed: ${(e as Error).stack ?? e}\n`);
  void shutdown(1);
});
