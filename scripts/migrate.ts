/**
 * npm run migrate                  apply pending migrations to DATABASE_URL
 * npm run migrate:new -- <name>    write prisma/migrations/<timestamp>_<name>/ from schema.prisma
 *
 * Both run offline through Prisma's WebAssembly schema engine (lib/db/migrate.ts).
 */
import { loadEnv } from '../lib/env';
import { applyMigrations, createMigration } from '../lib/db/migrate';

async function main(argv: string[]): Promise<void> {
  const newIndex = argv.indexOf('--new');
  if (newIndex !== -1) {
    const name = argv[newIndex + 1];
    if (!name || name.startsWith('-')) {
      throw new Error('Usage: npm run migrate:new -- <name>   (e.g. add_run_history)');
    }
    const created = await createMigration(name);
    if (!created) {
      console.log('prisma/schema.prisma matches the migration history: no migration written.');
      return;
    }
    console.log(`Wrote ${created.file}\nReview it, then \`npm run migrate\` applies it.`);
    return;
  }
  if (argv.length > 0) throw new Error(`Unknown arguments: ${argv.join(' ')}`);

  const { DATABASE_URL } = loadEnv();
  const started = Date.now();
  const { applied } = await applyMigrations(DATABASE_URL);
  const where = DATABASE_URL.replace(/\/\/[^@/]*@/, '//***@');
  if (applied.length === 0) console.log(`${where}: up to date.`);
  else console.log(`${where}: applied ${applied.join(', ')} in ${Date.now() - started} ms.`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
