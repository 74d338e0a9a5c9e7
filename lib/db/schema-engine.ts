import fs from 'node:fs/promises';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver
 * adapter, so migrations need no native engine binary (none can be
 * downloaded here; see shared/notes/TOOLCHAIN.md).
 *
 * The package's own entry imports the .wasm as an ES module, which Node
 * refuses, so the wasm-bindgen glue (`schema_engine_bg.js`) is loaded alone
 * and the module is instantiated by hand against it. The glue keeps the
 * instance in module state, so this happens once per process.
 */
type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let loading: Promise<EngineModule> | undefined;

function loadEngineModule(): Promise<EngineModule> {
  loading ??= (async () => {
    const bg: EngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await fs.readFile(await findWasmFile());
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm, looked up
 * like Node resolves packages but from the working directory (the project
 * root for all our entry points), not from this file: bundlers move this
 * file and rewrite createRequire/require.resolve.
 */
async function findWasmFile(): Promise<string> {
  const relative = path.join('node_modules', '@prisma', 'schema-engine-wasm', 'schema_engine_bg.wasm');
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (await fs.access(candidate).then(() => true, () => false)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find ${relative} from ${process.cwd()}: is @prisma/schema-engine-wasm installed?`);
    }
  }
}

export interface SchemaEngineOptions {
  /** [path, content] of the Prisma schema the engine should know about. */
  schema: { path: string; content: string };
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
}

/**
 * Runs `fn` with a fresh engine, then frees it and closes every connection it
 * opened (the engine does not close them itself).
 */
export async function withSchemaEngine<T>(
  options: SchemaEngineOptions,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bg = await loadEngineModule();
  const opened: SqlDriverAdapter[] = [];
  const inner = options.adapterFactory;
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => remember(await inner.connect()),
    connectToShadowDb: async () => remember(await inner.connectToShadowDb()),
  };
  function remember(adapter: SqlDriverAdapter): SqlDriverAdapter {
    opened.push(adapter);
    return adapter;
  }

  const logs: string[] = [];
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[options.schema.path, options.schema.content]] },
    (line: string) => {
      // Kept for error messages only; the engine logs at info level on success.
      logs.push(String(line));
      if (logs.length > 50) logs.shift();
    },
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  try {
    return await fn(engine);
  } catch (err) {
    throw toError(err);
  } finally {
    engine.free();
    await Promise.allSettled(opened.map((a) => a.dispose()));
  }
}

/** The engine rejects with plain objects or strings; give callers an Error with Prisma's code when there is one. */
function toError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof err === 'string') return new Error(err);
  if (err && typeof err === 'object') {
    const o = err as { message?: unknown; error_code?: unknown; errorCode?: unknown; meta?: unknown };
    const code = o.error_code ?? o.errorCode;
    const message = typeof o.message === 'string' ? o.message : JSON.stringify(err);
    return Object.assign(new Error(code ? `${String(code)}: ${message}` : message), { cause: err });
  }
  return new Error(String(err));
}
