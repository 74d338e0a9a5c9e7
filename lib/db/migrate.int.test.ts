import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db';
import { applyMigrations, createMigration } from './migrate';
import { projectPaths } from './migrations-folder';

// Real SQLite files in a temp folder, real WebAssembly schema engine, real client.
let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'conveyor-db-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function tables(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

async function migrationFolders(migrationsDir: string): Promise<string[]> {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

describe('applyMigrations', () => {
  it('creates the file, its missing folders and every table on a fresh database', async () => {
    const file = path.join(tmp, 'fresh', 'nested', 'conveyor.db');
    const { applied } = await applyMigrations(`file:${file}`);

    expect(applied).toEqual(await migrationFolders(projectPaths().migrationsDir));
    expect(tables(file)).toEqual(
      expect.arrayContaining(['User', 'Session', 'ApiKey', 'Pipeline', 'PipelineVersion', '_prisma_migrations']),
    );
    const db = new Database(file, { readonly: true });
    try {
      // Recorded the way `prisma migrate deploy` records them.
      const rows = db.prepare('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations').all() as {
        migration_name: string;
        finished_at: string | null;
        rolled_back_at: string | null;
      }[];
      expect(rows.map((r) => r.migration_name)).toEqual(applied);
      expect(rows.every((r) => r.finished_at !== null && r.rolled_back_at === null)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('applies nothing the second time', async () => {
    const url = `file:${path.join(tmp, 'twice.db')}`;
    expect((await applyMigrations(url)).applied.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual({ applied: [] });
  });

  it('refuses a PostgreSQL URL with a message naming what is missing', async () => {
    await expect(applyMigrations('postgresql://postgres@127.0.0.1:5432/test')).rejects.toThrow(/adapter-pg/);
    expect(() => createDb('postgres://postgres@127.0.0.1:5432/test')).toThrow(/PostgreSQL/);
  });
});

describe('the client on a migrated database', () => {
  let db: Db;
  beforeAll(async () => {
    const url = `file:${path.join(tmp, 'client.db')}`;
    await applyMigrations(url);
    db = createDb(url);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it('round-trips a pipeline and its versions, Json fields as objects', async () => {
    const graph = {
      schemaVersion: 1,
      nodes: [{ id: 'p1', type: 'producer', position: { x: 0, y: 10.5 }, data: { source: 'http', tags: ['a', 'b'] } }],
      edges: [],
    };
    const created = await db.pipeline.create({
      data: { name: 'orders', graph, versions: { create: [{ version: 1, graph }] } },
    });
    expect(created.description).toBe('');
    expect(created.deployedVersion).toBeNull();

    await db.pipeline.update({ where: { id: created.id }, data: { deployedVersion: 1 } });
    const read = await db.pipeline.findUniqueOrThrow({
      where: { id: created.id },
      include: { versions: true },
    });
    expect(read.graph).toEqual(graph);
    expect(read.deployedVersion).toBe(1);
    expect(read.updatedAt.getTime()).toBeGreaterThanOrEqual(read.createdAt.getTime());
    expect(read.versions).toHaveLength(1);
    expect(read.versions[0]?.graph).toEqual(graph);

    const version = await db.pipelineVersion.findUniqueOrThrow({
      where: { pipelineId_version: { pipelineId: created.id, version: 1 } },
    });
    expect(version.graph).toEqual(graph);
  });

  it('enforces the unique version per pipeline and cascades deletes', async () => {
    const p = await db.pipeline.create({ data: { name: 'dup', graph: { nodes: [], edges: [] } } });
    await db.pipelineVersion.create({ data: { pipelineId: p.id, version: 1, graph: {} } });
    await expect(db.pipelineVersion.create({ data: { pipelineId: p.id, version: 1, graph: {} } })).rejects.toMatchObject({
      code: 'P2002',
    });
    await db.pipeline.delete({ where: { id: p.id } });
    expect(await db.pipelineVersion.count({ where: { pipelineId: p.id } })).toBe(0);
  });

  it('stores users, sessions and API keys', async () => {
    const user = await db.user.create({ data: { email: 'ops@example.com', passwordHash: 'x' } });
    await db.session.create({
      data: { id: 'a'.repeat(64), userId: user.id, expiresAt: new Date(Date.now() + 60_000) },
    });
    const key = await db.apiKey.create({
      data: { name: 'ci', prefix: 'cvk_12345678', hash: 'b'.repeat(64), scope: 'trigger', pipelineIds: ['p1', 'p2'] },
    });
    expect((await db.apiKey.findUniqueOrThrow({ where: { hash: key.hash } })).pipelineIds).toEqual(['p1', 'p2']);
    await db.user.delete({ where: { id: user.id } });
    expect(await db.session.count()).toBe(0);
  });
});

describe('createMigration', () => {
  it('finds prisma/schema.prisma in step with prisma/migrations', async () => {
    // Fails when the schema changed without `npm run migrate:new -- <name>`.
    expect(await createMigration('unexpected')).toBeNull();
  });

  it('writes the next migration from a schema change, which then applies', async () => {
    const root = path.join(tmp, 'project');
    await fs.cp(path.join(process.cwd(), 'prisma'), path.join(root, 'prisma'), { recursive: true });
    const { schemaPath, migrationsDir } = projectPaths(root);
    const before = await migrationFolders(migrationsDir);
    await fs.appendFile(schemaPath, '\nmodel RunSummary {\n  id    String @id\n  count Int    @default(0)\n}\n');

    const created = await createMigration('Add run summary!', { projectRoot: root, now: new Date('2030-01-02T03:04:05Z') });
    expect(created?.folder).toBe('20300102030405_add_run_summary');
    expect(created?.sql).toMatch(/CREATE TABLE "RunSummary"/);
    expect(created?.sql).not.toMatch(/CREATE TABLE "Pipeline"/);
    expect(await migrationFolders(migrationsDir)).toEqual([...before, '20300102030405_add_run_summary']);

    expect(await createMigration('again', { projectRoot: root })).toBeNull();

    const file = path.join(tmp, 'project.db');
    const { applied } = await applyMigrations(`file:${file}`, { projectRoot: root });
    expect(applied).toEqual([...before, '20300102030405_add_run_summary']);
    expect(tables(file)).toContain('RunSummary');
  });
});
