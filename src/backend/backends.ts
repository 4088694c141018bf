/**
 * Backend selection. `auto` (the default, picked on first use) prefers native TensorFlow
 * (`@tensorflow/tfjs-node`, an optional dependency), then a hardware GPU through WebGPU (Dawn's Node
 * bindings, optional dependencies), then WebAssembly (XNNPACK), then pure JS. WebAssembly runs
 * multithreaded by default when this process may use more than one core. `webgl` runs in browsers only.
 */
import { tf } from './tf';
import { BackendError, invalidArgument } from '../errors';
import { MAX_WASM_THREADS, availableCores, createThreadedWasmBackend } from './wasm-threads';
import { canReadSync, findAdapter, registerWebGpu, requireAdapter } from './webgpu';

/** Backends keras-ts can run on, in the order `auto` tries them (`webgl` only in browsers). */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu', 'webgl'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What `use` accepts: a backend or 'auto'. */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** In Node: webgpu only when a hardware adapter exists (checked in activateAuto); webgl never. */
const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

const INSTALL_HINTS: Record<BackendName, string> = {
  tensorflow: 'install it with `npm install @tensorflow/tfjs-node` (it downloads libtensorflow, so it needs internet access)',
  wasm: 'reinstall keras-ts so that its dependency `@tensorflow/tfjs-backend-wasm` is present',
  cpu: 'reinstall keras-ts so that `@tensorflow/tfjs` is complete',
  webgpu: 'install the optional dependencies with `npm install webgpu @tensorflow/tfjs-backend-webgpu`; it needs a GPU adapter, or Mesa with EGL_PLATFORM=surfaceless',
  webgl: 'WebGL exists only in browsers: import keras-ts from a bundle (its browser entry) there',
};

/** Loads the package that registers a backend; returns the load error if it cannot. */
function registerBackend(name: BackendName): unknown {
  try {
    // Plain require: the packages register themselves with the shared tfjs engine on load.
    if (name === 'tensorflow') require('@tensorflow/tfjs-node');
    if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    if (name === 'webgpu') registerWebGpu();
    return tf.findBackendFactory(name) ? undefined : new Error(`no '${name}' backend registered`);
  } catch (error) {
    return error;
  }
}

export interface UseOptions {
  /**
   * XNNPACK threads for the wasm backend: a count in [1, 8] (1 is tfjs' single-threaded build) or
   * `'auto'` (default): the cores this process may use, at most 8. Fixed once wasm has started in a process.
   */
  threads?: number | 'auto';
}

/**
 * tfjs-backend-cpu prints "…To speed things up dramatically, install our node backend…" from
 * MathBackendCPU.write while `this.firstUse` is true and env IS_NODE. keras-ts picks backends
 * itself (and says how to install one), so the cpu backend it creates starts with firstUse false.
 */
function silenceCpuBanner(): void {
  const engine = tf.engine();
  const entry = engine.registryFactory['cpu'];
  if (entry === undefined || 'cpu' in engine.registry) return;
  const { factory } = entry;
  entry.factory = () => Object.assign(factory(), { firstUse: false });
}
silenceCpuBanner();

let active: BackendName | undefined;
let pending: Promise<BackendName> | undefined;
/** Threads of the wasm backend this process registered (undefined until wasm is first set up). */
let wasmThreads: number | undefined;

function resolveThreads(threads: number | 'auto' | undefined): number {
  if (threads === undefined || threads === 'auto') return Math.max(1, Math.min(MAX_WASM_THREADS, availableCores()));
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw invalidArgument('threads', 'backend.use', `an integer in [1, ${MAX_WASM_THREADS}] or 'auto'`, threads);
  }
  return threads;
}

/** tfjs-backend-wasm's own factory (single-threaded SIMD build), kept while keras-ts' threaded one is registered. */
let stockWasmFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
const WASM_PRIORITY = 2; // tfjs-backend-wasm's

/**
 * Registers the wasm backend with `threads` threads, before it first starts. tfjs-backend-wasm
 * registers its single-threaded factory on load; for more threads keras-ts registers its own factory
 * under the same name (the package's kernels are registered for the name 'wasm').
 */
function setUpWasm(threads: number): void {
  const started = tf.engine().registry['wasm'] !== undefined;
  const current = wasmThreads ?? (started ? 1 : undefined);
  if (current === threads) return;
  if (started) {
    throw new BackendError(
      `Invalid \`threads\` for backend.use: the wasm backend already runs with ${current ?? 1} thread(s) in this process and its tensors live in that module. Received: threads=${threads}. Choose threads before wasm first starts, or start a new process.`,
    );
  }
  stockWasmFactory ??= tf.findBackendFactory('wasm') ?? undefined;
  const factory = threads > 1 ? () => createThreadedWasmBackend(threads) : stockWasmFactory;
  if (factory === undefined) throw new BackendError(`Backend 'wasm' cannot be loaded: ${INSTALL_HINTS.wasm}.`);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
  wasmThreads = threads;
}

/** Threads the wasm backend runs (or will start) with in this process; undefined before wasm was chosen. */
export function wasmThreadCount(): number | undefined {
  return wasmThreads ?? (tf.engine().registry['wasm'] !== undefined ? 1 : undefined);
}

async function activate(name: BackendName, options: UseOptions = {}): Promise<BackendName> {
  const loadError = registerBackend(name);
  if (loadError !== undefined) {
    throw new BackendError(`Backend '${name}' cannot be loaded: ${INSTALL_HINTS[name]}.`, { cause: loadError });
  }
  if (name === 'wasm') setUpWasm(resolveThreads(options.threads));
  if (name === 'webgpu') await requireAdapter(); // a clear error here, rather than tfjs' warning and `false`
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError(`Backend '${name}' failed to initialize on this machine: ${INSTALL_HINTS[name]}.`);
  await tf.ready();
  active = name;
  return name;
}

async function activateAuto(options: UseOptions): Promise<BackendName> {
  const failures: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      if (name === 'webgpu' && !(await hasHardwareGpu())) {
        failures.push('webgpu: no hardware GPU adapter with synchronous reads (software rasterizers such as llvmpipe are skipped)');
        continue;
      }
      return await activate(name, options);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new BackendError(`No tfjs backend could be loaded:\n  ${failures.join('\n  ')}`);
}

/**
 * Whether `auto` may take webgpu: Dawn offers a core-feature adapter that is not a CPU rasterizer (see
 * `isSoftwareAdapter`). Not probed where tensors cannot be read synchronously (Node: tfjs-backend-webgpu
 * 4.22.0 reads through OffscreenCanvas). keras-ts' own training, saving and studies read asynchronously
 * and run there with `use('webgpu')`, but probing loads Dawn's native module at every start, which
 * prints its Vulkan warnings on machines without a GPU, and users' synchronous reads would fail: in
 * Node webgpu is taken only when asked for.
 */
async function hasHardwareGpu(): Promise<boolean> {
  if (!canReadSync()) return false;
  if (registerBackend('webgpu') !== undefined) return false;
  try {
    return (await findAdapter(true)) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Switches keras-ts (and the shared tfjs engine) to a backend. `'auto'` picks the fastest that loads.
 * `options.threads` sets the wasm backend's thread count (default: the cores this process may use).
 * Resolves to the active backend's name. Throws `BackendError` naming how to install a missing one.
 */
export function use(choice: BackendChoice = 'auto', options: UseOptions = {}): Promise<BackendName> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw invalidArgument('backend', 'backend.use', `one of ${BACKEND_CHOICES.map((c) => `'${c}'`).join(', ')}`, choice);
  }
  resolveThreads(options.threads); // validates before anything starts
  pending = choice === 'auto' ? activateAuto(options) : activate(choice, options);
  return pending;
}

/** Resolves once a backend is active, choosing `'auto'` if nothing was chosen yet. */
export function ready(): Promise<BackendName> {
  if (active !== undefined && tf.getBackend() === active) return Promise.resolve(active);
  return pending ?? use('auto');
}

/** The active backend's name (after `ready()`), or undefined before any backend was chosen. */
export function current(): BackendName | undefined {
  if (active === undefined) return undefined;
  // The user may have switched tfjs directly; report what tfjs actually runs on.
  return tf.getBackend() as BackendName;
}

/** Names of backends whose packages load here (does not switch backend). */
export function available(): BackendName[] {
  return AUTO_ORDER.filter((name) => registerBackend(name) === undefined);
}
