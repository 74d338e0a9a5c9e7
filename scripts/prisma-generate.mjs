// `prisma generate`, offline. Runs as npm's postinstall and before `next build`.
//
// Prisma 7's client needs no engine binary, but the CLI still tries to
// download the schema engine before generating unless PRISMA_SCHEMA_ENGINE_BINARY
// names an existing file (shared/notes/TOOLCHAIN.md); generate never runs it.
// Skips the work when the schema, config and Prisma version are unchanged
// since the last run (pass --force to generate anyway).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const configPath = path.join(root, 'prisma.config.ts');
const outputDir = path.join(root, 'lib', 'generated', 'prisma');
const stampPath = path.join(outputDir, '.generated-from');
const force = process.argv.includes('--force');

function fail(message) {
  console.error(`prisma-generate: ${message}`);
  process.exit(1);
}

const require = createRequire(path.join(root, 'package.json'));
let prismaPkgPath;
try {
  prismaPkgPath = require.resolve('prisma/package.json');
} catch {
  fail('the `prisma` package is not installed (it is a dependency: run `npm ci`).');
}
const prismaPkg = JSON.parse(fs.readFileSync(prismaPkgPath, 'utf8'));
const prismaCli = path.join(path.dirname(prismaPkgPath), prismaPkg.bin.prisma);
if (!fs.existsSync(schemaPath)) {
  // A Docker layer that installs from package*.json alone: the build step generates later.
  if (process.env.npm_lifecycle_event === 'postinstall') {
    console.warn('prisma-generate: no prisma/schema.prisma yet, skipping (`npm run build` generates).');
    process.exit(0);
  }
  fail(`${path.relative(root, schemaPath)} is missing.`);
}

const hash = createHash('sha256');
hash.update(`prisma@${prismaPkg.version}\n`);
for (const file of [schemaPath, configPath]) {
  hash.update(`${path.relative(root, file)}\n`);
  if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
}
const stamp = hash.digest('hex');
const clientEntry = path.join(outputDir, 'client.ts');
if (!force && fs.existsSync(clientEntry) && readOrEmpty(stampPath) === stamp) {
  console.log('prisma-generate: client is up to date (lib/generated/prisma).');
  process.exit(0);
}

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(import.meta.url);
env.CHECKPOINT_DISABLE ??= '1'; // no update check over the network
env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';

fs.rmSync(stampPath, { force: true }); // a failed run must not leave a matching stamp behind
const started = Date.now();
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (result.error) fail(`could not run the Prisma CLI: ${result.error.message}`);
if (result.status !== 0 || !fs.existsSync(clientEntry)) {
  fail(
    `\`prisma generate\` failed (exit ${result.status ?? result.signal}); the output above says why.\n` +
      '  Without lib/generated/prisma the app, scripts and tests cannot load the database client.',
  );
}
fs.writeFileSync(stampPath, `${stamp}\n`);
console.log(`prisma-generate: done in ${Date.now() - started} ms.`);

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
