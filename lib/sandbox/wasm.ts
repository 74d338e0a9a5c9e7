import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, type CustomizeVariantOptions, type QuickJSWASMModule } from 'quickjs-emscripten';
import { log } from '../log';

/**
 * The QuickJS WebAssembly code is compiled once per process; each sandbox then
 * gets its own *instance* of it, with its own linear memory.
 *
 * Why an instance per sandbox rather than one shared instance:
 * - Memory. In this build QuickJS cannot measure its allocations
 *   (malloc_usable_size is 0 under Emscripten), so `runtime.setMemoryLimit`
 *   only rejects a *single* allocation above the limit: 200 arrays of 1 MB pass
 *   a 32 MB limit and grow the shared memory to its 2 GB ceiling, which a
 *   WebAssembly memory never gives back (quickjs-emscripten issues #255, #271).
 *   A WebAssembly.Memory whose `maximum` is fixed is a hard cap that the engine
 *   cannot get around: allocation past it fails and QuickJS reports
 *   "out of memory".
 * - Fault isolation. Under memory pressure QuickJS can dereference a failed
 *   allocation and trap, and a native stack overflow can unwind out of the
 *   middle of its C code; either way that instance is unusable afterwards.
 *   With an instance per sandbox, only that consumer's instance is replaced.
 *
 * An instance costs ~1-5 ms to create, and a few MB of resident memory.
 */

const PAGE = 64 * 1024;
const MB = 1024 * 1024;
/** The build imports a memory of at least 16 MB (256 pages) and cannot start with less. */
const MIN_PAGES = 256;
/**
 * What the engine itself occupies before user code allocates anything: 5 MB
 * of C stack (STACK_SIZE in quickjs-emscripten's build), static data, the
 * runtime, the context and our prelude. Measured at ~5.3 MB; rounded up.
 */
const ENGINE_BASE_MB = 6;
/** Sizes one heap resize tries before it fails (emscripten_resize_heap in this build: 20%, 10%, 5% overgrowth). */
const RESIZE_TRIES = 3;

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * Compiles the QuickJS WebAssembly code, once per process. `createSandbox`
 * awaits it; call it at start-up to pay the ~10 ms before the first message.
 */
export function loadSandboxModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    // Resolve the .wasm next to the variant quickjs-emscripten itself depends on,
    // so a nested install of that package is found too.
    const fromQuickjs = createRequire(createRequire(import.meta.url).resolve('quickjs-emscripten'));
    const wasmPath = fromQuickjs.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    return WebAssembly.compile(await readFile(wasmPath));
  })();
  compiled.catch(() => {
    compiled = undefined; // let a later call try again
  });
  return compiled;
}

export interface EngineInstance {
  quickjs: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** How often the cap refused the engine more heap (a resize that failed); a trap after one is an out-of-memory. */
  readonly growFailures: () => number;
}

/** Pages for a memory that leaves user code about `memoryMb` of heap (never below the build's 16 MB). */
export function memoryPagesFor(memoryMb: number): number {
  return Math.max(MIN_PAGES, Math.ceil(((ENGINE_BASE_MB + memoryMb) * MB) / PAGE));
}

export async function newEngineInstance(memoryMb: number): Promise<EngineInstance> {
  const wasmModule = await loadSandboxModule();
  const memory = new WebAssembly.Memory({ initial: MIN_PAGES, maximum: memoryPagesFor(memoryMb) });
  // Emscripten grows the heap through `memory.grow`, and swallows the RangeError
  // when the cap refuses; count the refusals so a later trap can be named.
  // One resize tries up to three sizes (20%, 10%, then 5% over the current heap,
  // or the request when larger) and fails only when all of them do: a refused
  // first try followed by a smaller one that fits is routine past ~80% of the
  // cap, and refuses nothing. So a refusal is three failed tries in a row.
  let refusals = 0;
  let failedTries = 0;
  const grow = memory.grow.bind(memory);
  memory.grow = (delta: number) => {
    try {
      const previousPages = grow(delta);
      failedTries = 0;
      return previousPages;
    } catch (e) {
      if (++failedTries === RESIZE_TRIES) {
        refusals++;
        failedTries = 0;
      }
      throw e;
    }
  };
  // Emscripten prints QuickJS's own aborts (e.g. an assertion while freeing an
  // engine that hit a limit) on stderr; the failure itself reaches the caller
  // as a SandboxError, so the text goes to the debug log instead.
  const emscriptenModule = { printErr: (text: string) => log.debug('quickjs engine message', { text }) } as CustomizeVariantOptions['emscriptenModule'];
  const quickjs = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmModule, wasmMemory: memory, emscriptenModule }));
  return { quickjs, memory, growFailures: () => refusals };
}
