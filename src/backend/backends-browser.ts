/**
 * Backend selection in browsers: the same `use`/`ready`/`current`/`available` as in Node (bundlers pick
 * this file through package.json's `browser` field). `auto` prefers WebGPU on a hardware adapter, then
 * WebGL, then WebAssembly, then pure JS. No Node built-ins here.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, invalidArgument } from '../errors';
import { isSoftwareAdapter } from './adapter-kind';
import type { AdapterInfo } from './adapter-kind';
import { tf } from './tf';

/** Backends keras-ts can run on (`tensorflow` exists only in Node: it is named so configs stay portable). */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu', 'webgl'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What `use` accepts: a backend or 'auto'. */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The order `auto` tries in a browser; webgpu only on a hardware adapter. */
const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const HINTS: Record<BackendName, string> = {
  tensorflow: 'tfjs-node runs only in Node',
  webgpu: 'this browser offers no WebGPU adapter (navigator.gpu), or `@tensorflow/tfjs-backend-webgpu` was left out of the bundle',
  webgl: 'this browser offers no WebGL context',
  wasm: 'the page must serve tfjs-backend-wasm\'s .wasm files: pass `wasmPaths` (a URL prefix ending in "/")',
  cpu: 'the bundle lacks `@tensorflow/tfjs`',
};

export interface UseOptions {
  /** URL prefix (ending in '/') where the page serves tfjs-backend-wasm's `.wasm` files; default: beside the page. */
  wasmPaths?: string;
  /** Accepted for the Node API's sake; in browsers tfjs-backend-wasm picks its threads from cross-origin isolation. */
  threads?: number | 'auto';
}

let active: BackendName | undefined;
let pending: Promise<BackendName> | undefined;
let webgpuLoaded = false;

async function register(name: BackendName): Promise<void> {
  if (name === 'webgpu' && !webgpuLoaded) {
    await import('@tensorflow/tfjs-backend-webgpu'); // registers itself where navigator.gpu exists
    webgpuLoaded = true;
  }
}

type NavigatorGpu = { gpu?: { requestAdapter(options?: object): Promise<{ info?: AdapterInfo } | null> } };

/** Whether the browser offers a WebGPU adapter that is not a CPU rasterizer. */
async function hasHardwareGpu(): Promise<boolean> {
  const gpu = (globalThis as { navigator?: NavigatorGpu }).navigator?.gpu;
  if (gpu === undefined) return false;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter !== null && !isSoftwareAdapter(adapter.info ?? {});
  } catch {
    return false;
  }
}

async function activate(name: BackendName, options: UseOptions): Promise<BackendName> {
  if (name === 'tensorflow') throw new BackendError(`Backend 'tensorflow' cannot be loaded: ${HINTS.tensorflow}.`);
  await register(name);
  if (name === 'wasm' && options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
  if (tf.findBackendFactory(name) === null) throw new BackendError(`Backend '${name}' cannot be loaded: ${HINTS[name]}.`);
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    throw new BackendError(`Backend '${name}' failed to initialize: ${HINTS[name]}.`, { cause: error });
  }
  if (!ok) throw new BackendError(`Backend '${name}' failed to initialize: ${HINTS[name]}.`);
  await tf.ready();
  active = name;
  return name;
}

async function activateAuto(options: UseOptions): Promise<BackendName> {
  const failures: string[] = [];
  for (const name of AUTO_ORDER) {
    if (name === 'webgpu' && !(await hasHardwareGpu())) {
      failures.push('webgpu: no hardware GPU adapter');
      continue;
    }
    try {
      return await activate(name, options);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new BackendError(`No tfjs backend could be loaded:\n  ${failures.join('\n  ')}`);
}

/**
 * Switches keras-ts (and the shared tfjs engine) to a backend. `'auto'` picks the fastest that starts.
 * Resolves to the active backend's name. Throws `BackendError` saying what is missing.
 */
export function use(choice: BackendChoice = 'auto', options: UseOptions = {}): Promise<BackendName> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw invalidArgument('backend', 'backend.use', `one of ${BACKEND_CHOICES.map((c) => `'${c}'`).join(', ')}`, choice);
  }
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
  return tf.getBackend() as BackendName;
}

/** Names of backends registered in this page (webgpu once `use('webgpu')` or `auto` loaded it). */
export function available(): BackendName[] {
  return AUTO_ORDER.filter((name) => tf.findBackendFactory(name) !== null);
}

/** The Node API's thread count; tfjs-backend-wasm decides it in browsers. */
export function wasmThreadCount(): number | undefined {
  return undefined;
}
