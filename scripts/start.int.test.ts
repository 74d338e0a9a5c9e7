import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalRedis } from './local-redis';

const dirs: string[] = [];
const tmp = (name: string) => {
  const d = mkdtempSync(path.join(tmpdir(), `conveyor-${name}-`));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const tsx = path.resolve('node_modules/.bin/tsx');

describe('npm start without Redis', () => {
  it('stops with one sentence saying how to get Redis when there is no REDIS_URL and no redis-server', () => {
    // A PATH holding only node: no redis-server to start.
    const bin = tmp('bin');
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const env = { PATH: bin, HOME: process.env.HOME, DATA_DIR: tmp('data') } as unknown as NodeJS.ProcessEnv;
    const res = spawnSync(process.execPath, [tsx, 'scripts/start.ts'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/Conveyor needs Redis .* set REDIS_URL .* install redis-server/);
  });

  it('names an unreachable REDIS_URL', () => {
    const env = { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', DATA_DIR: tmp('data') };
    const res = spawnSync(process.execPath, [tsx, 'scripts/start.ts'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1');
  });

  it('refuses a bad setting with the variable named', () => {
    const env = { ...process.env, PORT: 'eighty', DATA_DIR: tmp('data') };
    const res = spawnSync(process.execPath, [tsx, 'scripts/start.ts'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/Invalid configuration:\s+PORT:/);
  });
});

describe('the private redis-server', () => {
  it('keeps its data in its own folder with append-only persistence and noeviction', async () => {
    const dataDir = path.join(tmp('redis'), 'redis');
    mkdirSync(dataDir, { recursive: true });
    const local = await startLocalRedis({ dataDir });
    const r = new Redis(local.url);
    try {
      expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await r.config('GET', 'dir')).toEqual(['dir', dataDir]);
      await r.set('k', 'v');
    } finally {
      r.disconnect();
      await local.stop();
    }
    // Restarted on the same folder, the data is still there.
    const again = await startLocalRedis({ dataDir, port: local.port });
    const r2 = new Redis(again.url);
    try {
      expect(await r2.get('k')).toBe('v');
    } finally {
      r2.disconnect();
      await again.stop();
    }
  });
});
