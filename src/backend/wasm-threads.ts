/**
 * Multithreaded WebAssembly (XNNPACK with a thread pool) in Node, without patching globals.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build but never loads it in Node
 * (tensorflow/tfjs#3830, #5446): its `WASM_HAS_MULTITHREAD_SUPPORT` flag answers false there, and its
 * loader hands the pthread worker script to `worker_threads` as a blob: URL, which Node refuses. Run by
 * hand, the build also (1) caps the pool at `emscripten_num_logical_cores() / 2` (one thread on a 2-core
 * machine) and (2) never lets the process exit: emscripten 3.1.28's Node glue `ref()`s every Worker that
 * runs a pthread and `unref()`s it only when the thread ends, while XNNPACK's pthreadpool threads live
 * until the backend is disposed. That is the "deadlock" (0 % CPU, never finishing) seen earlier: the
 * script had finished, and the live pool threads held the event loop open.
 *
 * This module builds the threaded backend itself, with tfjs' public pieces (`BackendWasm`,
 * `setThreadsCount`) and emscripten's documented module hooks, all scoped to the one module instance:
 *   - `locateFile` returns a real file for the worker script (tfjs' own worker text, written once);
 *   - `instantiateWasm` instantiates the binary with the module's imports, except that
 *     `emscripten_num_logical_cores` reports 2 × threads to this instance, so the pool is not capped;
 *   - after start-up the pool threads' Workers are `unref()`ed (the main thread drives every parallel
 *     region synchronously, so they never need to keep the process alive) and the 8 − (threads − 1)
 *     pre-spawned Workers no thread uses are terminated.
 * Every hook depends on tfjs-backend-wasm's build internals, so the exact version is checked and
 * anything unexpected throws a `BackendError`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { BackendError } from '../errors';
import { tf } from './tf';

/** The tfjs-backend-wasm version whose build internals this module was written and checked against. */
export const SUPPORTED_TFJS_WASM_VERSION = '4.22.0';
/** The threaded build pre-spawns 8 Workers (`PTHREAD_POOL_SIZE=8`) and caps the pool there. */
export const MAX_WASM_THREADS = 8;

const MAIN_SCRIPT = 'tfjs-backend-wasm-threaded-simd.js';
const WASM_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';
const WORKER_MODULE = 'tfjs-backend-wasm-threaded-simd.worker.js';
/** The worker script loads the main script from a path when it is given a string (not a Blob). */
const WORKER_LOADS_PATH = 'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}';

interface WasmPackage {
  BackendWasm: new (module: EmscriptenModule) => tf.KernelBackend;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
  version_wasm: string;
}

interface PThreadRuntime {
  unusedWorkers: Worker[];
  runningWorkers: Worker[];
}

interface EmscriptenModule {
  PThread?: PThreadRuntime;
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  tfjs?: Record<string, unknown>;
}

/** The few WebAssembly JS API pieces used here (the tsconfig has no DOM lib, which declares them). */
type WasmImports = Record<string, Record<string, unknown>>;
interface WasmCompiled { readonly __compiled: unique symbol }
interface WasmInstance { readonly exports: Record<string, unknown> }
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmCompiled>;
  instantiate(module: WasmCompiled, imports: WasmImports): Promise<WasmInstance>;
  Module: { imports(module: WasmCompiled): { module: string; name: string; kind: string }[] };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type ReceiveInstance = (instance: WasmInstance, module: WasmCompiled) => void;

interface ModuleConfig {
  locateFile(file: string, prefix: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(info: WasmImports, receive: ReceiveInstance): Record<string, never>;
}

function fail(what: string, cause?: unknown): never {
  throw new BackendError(
    `Threaded wasm cannot start: ${what}. keras-ts starts it only for @tensorflow/tfjs-backend-wasm ${SUPPORTED_TFJS_WASM_VERSION}; use \`use('wasm', { threads: 1 })\` for the single-threaded build.`,
    cause === undefined ? undefined : { cause },
  );
}

function loadPackage(): { pkg: WasmPackage; wasmOut: string } {
  let pkg: WasmPackage;
  let wasmOut: string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pkg = require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
    wasmOut = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  } catch (error) {
    fail('@tensorflow/tfjs-backend-wasm does not load', error);
  }
  if (pkg.version_wasm !== SUPPORTED_TFJS_WASM_VERSION) fail(`the installed @tensorflow/tfjs-backend-wasm is ${pkg.version_wasm}`);
  if (typeof pkg.BackendWasm !== 'function' || typeof pkg.setThreadsCount !== 'function') fail('BackendWasm or setThreadsCount is missing');
  return { pkg, wasmOut };
}

/**
 * Writes tfjs' pthread worker script to a file (Node's Worker takes a path, not a blob: URL).
 * The name carries a hash of the text, so processes share one file and a stale one is never used.
 */
function workerScriptFile(wasmOut: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wasmWorkerContents } = require(path.join(wasmOut, WORKER_MODULE)) as { wasmWorkerContents?: unknown };
  if (typeof wasmWorkerContents !== 'string' || !wasmWorkerContents.includes(WORKER_LOADS_PATH)) fail('the pthread worker script is not the one expected');
  // tfjs escapes newlines the same way before it makes its blob (they sit inside string literals).
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = crypto.createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `keras-ts-tfjs-wasm-worker-${hash}.js`);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== script) {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script);
    fs.renameSync(temp, file);
  }
  return file;
}

/** Starts the threaded emscripten module with a pool that may hold `threads` threads. */
async function startModule(wasmOut: string, threads: number): Promise<EmscriptenModule> {
  const wasmFile = path.join(wasmOut, WASM_BINARY);
  const mainScript = path.join(wasmOut, MAIN_SCRIPT);
  const workerFile = workerScriptFile(wasmOut);
  const compiled = await wasmApi.compile(fs.readFileSync(wasmFile));
  const coreImport = wasmApi.Module.imports(compiled).find((i) => i.name === 'emscripten_num_logical_cores');
  if (coreImport === undefined || coreImport.kind !== 'function') fail('the wasm binary does not import emscripten_num_logical_cores');

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = require(mainScript) as (config: ModuleConfig) => Promise<EmscriptenModule>;
  let rejectStart: (error: unknown) => void = () => undefined;
  const instantiateFailed = new Promise<never>((_, reject) => (rejectStart = reject));
  const config: ModuleConfig = {
    locateFile: (file, prefix) => (file.endsWith('.worker.js') ? workerFile : file.endsWith('.wasm') ? wasmFile : prefix + file),
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm: (info, receive) => {
      const importModule = info[coreImport.module] ?? fail(`the module gives no '${coreImport.module}' imports`);
      // The C++ side sizes its pool cap as logical cores / 2 (it assumes two hyperthreads per core).
      const imports = { ...info, [coreImport.module]: { ...importModule, [coreImport.name]: () => 2 * threads } };
      wasmApi.instantiate(compiled, imports).then(
        (instance) => receive(instance, compiled),
        (error: unknown) => rejectStart(new BackendError('Threaded wasm cannot start: the wasm binary did not instantiate.', { cause: error })),
      );
      return {};
    },
  };
  return Promise.race([factory(config), instantiateFailed]);
}

/** Wires the module as tfjs' `init()` does (the bridge functions BackendWasm calls). */
function bridge(module: EmscriptenModule): void {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Creates a tfjs wasm backend running XNNPACK on `threads` threads (2 ≤ threads ≤ 8).
 * The caller registers it under the name 'wasm', where tfjs-backend-wasm's kernels are registered.
 */
export async function createThreadedWasmBackend(threads: number): Promise<tf.KernelBackend> {
  const { pkg, wasmOut } = loadPackage();
  const module = await startModule(wasmOut, threads);
  const pthreads = module.PThread;
  if (pthreads === undefined || !Array.isArray(pthreads.runningWorkers) || !Array.isArray(pthreads.unusedWorkers)) fail('the module has no PThread runtime');
  bridge(module);
  pkg.setThreadsCount(threads);
  const backend = new pkg.BackendWasm(module); // creates the pthreadpool: threads − 1 Workers start running
  const started = pkg.getThreadsCount();
  if (started !== threads) fail(`the pool started ${started} threads instead of ${threads}`);
  if (pthreads.runningWorkers.length !== threads - 1) fail(`${pthreads.runningWorkers.length} pool Workers run instead of ${threads - 1}`);
  // The pool threads wait on futexes between parallel regions; they must not hold the event loop open.
  for (const worker of pthreads.runningWorkers) worker.unref();
  // The pre-spawned Workers no thread uses: each is a Node isolate holding the heap; a later
  // pthread_create (none is made after start-up) would spawn a new one.
  for (const worker of pthreads.unusedWorkers.splice(0)) void worker.terminate();
  return backend;
}

/** Cores this process may use (Node's availableParallelism, which honours CPU affinity). */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
