import { withSchemaEngine } from './lib/db/schema-engine';
import { readMigrationList, projectPaths } from './lib/db/migrations-folder';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import fs from 'node:fs';
function wrap(a: any, label: string) {
  return new Proxy(a, { get(t, p) { const v = t[p]; if (typeof v !== 'function') return v; return async (...args: any[]) => { try { const r = await v.apply(t, args); return r; } catch (e) { console.log(label, String(p), JSON.stringify(args).slice(0, 300), e); throw e; } }; } });
}
const inner = new PrismaBetterSqlite3({ url: ':memory:' });
const f: any = { provider: 'sqlite', adapterName: inner.adapterName, connect: async () => wrap(await inner.connect(), 'main'), connectToShadowDb: async () => wrap(await inner.connectToShadowDb(), 'shadow') };
const { schemaPath, migrationsDir } = projectPaths();
const content = fs.readFileSync(schemaPath, 'utf8');
(async () => {
  const ml = await readMigrationList(migrationsDir);
  const r = await withSchemaEngine({ projectRoot: process.cwd(), schema: { path: schemaPath, content }, adapterFactory: f }, (e) => e.diff({ from: { tag: 'migrations', ...ml }, to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] }, script: true, exitCode: true, filters: { externalTables: [], externalEnums: [] } }));
  console.log(r);
})().catch((e) => console.log('ERR', e.message));
