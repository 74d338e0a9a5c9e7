/**
 * npm run apikey -- create --name <name> --scope admin|trigger [--pipelines id,id]
 * npm run apikey -- list
 * npm run apikey -- revoke <id>
 *
 * `create` prints the key alone on its last line (shown once; only its hash is stored).
 */
import { parseArgs } from 'node:util';
import { createApiKey, ScopeSchema } from '../lib/auth/api-keys';
import { createDb } from '../lib/db';
import { applyMigrations } from '../lib/db/migrate';
import { parseEnv } from '../lib/env';

const usage = `usage:
  npm run apikey -- create --name <name> --scope admin|trigger [--pipelines <id,id>]
  npm run apikey -- list
  npm run apikey -- revoke <id>`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string', default: 'admin' }, pipelines: { type: 'string' } },
  });
  const [command, arg] = positionals;
  const env = parseEnv(process.env);
  await applyMigrations(env.DATABASE_URL);
  const db = createDb(env.DATABASE_URL);
  try {
    if (command === 'create') {
      if (!values.name) throw new Error(`--name is required\n${usage}`);
      const scope = ScopeSchema.safeParse(values.scope);
      if (!scope.success) throw new Error(`--scope must be admin or trigger\n${usage}`);
      const pipelineIds = values.pipelines?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
      if (scope.data === 'trigger' && pipelineIds.length === 0) throw new Error('a trigger key needs --pipelines <id,id>');
      const created = await createApiKey(db, { name: values.name, scope: scope.data, pipelineIds });
      process.stderr.write(`Created API key "${created.name}" (id ${created.id}, scope ${created.scope}). It is shown once; store it now.\n`);
      process.stdout.write(`${created.key}\n`);
    } else if (command === 'list') {
      const keys = await db.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        process.stdout.write(`${k.id}  ${k.prefix}…  ${k.scope.padEnd(7)}  ${state}  ${k.name}\n`);
      }
    } else if (command === 'revoke') {
      if (!arg) throw new Error(`revoke needs a key id\n${usage}`);
      await db.apiKey.update({ where: { id: arg }, data: { revokedAt: new Date() } });
      process.stdout.write(`revoked ${arg}\n`);
    } else {
      throw new Error(usage);
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
