/**
 * The WebGPU backend in Node: `@tensorflow/tfjs-backend-webgpu` on Dawn's Node bindings (the `webgpu`
 * package, both optional dependencies). tfjs' own factory only registers when `navigator.gpu` exists at
 * load time, so keras-ts registers its own factory under the name 'webgpu' and builds the device itself:
 *   - the GPU object comes from the package's `dawn.node` (`create(flags)`); its ESM `index.js` cannot be
 *     required from CommonJS on Node 20, so the binary beside it is loaded directly;
 *   - the names tfjs reads as globals (`GPUBufferUsage`, `GPUMapMode`, `GPUTextureUsage` constants and the
 *     `GPUBuffer`, `GPUTexture`, `GPUExternalTexture` classes for `instanceof`) are defined on globalThis from
 *     Dawn's `globals`, only where absent, as a browser defines them;
 *   - `navigator.gpu` is set only while `new WebGPUBackend(...)` runs (its constructor checks it) and
 *     restored right after; nothing else in tfjs-backend-webgpu 4.22.0 reads it once the device exists.
 * Adapters are tried in order: the default backend (Vulkan/Metal/D3D12, core features), the same with
 * `featureLevel: 'compatibility'`, then Dawn's OpenGL ES backend in compatibility mode (Mesa's llvmpipe on a
 * GPU-less machine, with `EGL_PLATFORM=surfaceless`).
 */
import * as path from 'node:path';
import { BackendError } from '../errors';
import { isSoftwareAdapter } from './adapter-kind';
import type { AdapterInfo } from './adapter-kind';
import { tf } from './tf';
import { canReadSync } from './sync-reads';

export { canReadSync } from './sync-reads';

/** The subset of WebGPU's types keras-ts touches (the full types live in `@webgpu/types`). */
interface Adapter {
  readonly info?: AdapterInfo;
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  requestDevice(descriptor: object): Promise<unknown>;
}
interface Gpu {
  requestAdapter(options?: object): Promise<Adapter | null>;
}
interface DawnBinding {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

/** The adapter keras-ts found, and how. */
export interface WebGpuAdapterReport {
  /** Dawn flags the GPU object was created with (`[]`, or `['backend=opengles']`). */
  flags: string[];
  /** The feature level the adapter was requested with. */
  featureLevel: 'core' | 'compatibility';
  /** The adapter's own description (vendor, device, driver). */
  info: AdapterInfo;
  /** True for a CPU rasterizer (llvmpipe, lavapipe, SwiftShader, WARP) or a fallback adapter. */
  software: boolean;
}

let binding: DawnBinding | undefined;
/** Names tfjs-backend-webgpu 4.22.0 reads as globals (constants and `instanceof` checks). */
const GLOBALS_TFJS_READS = ['GPUBufferUsage', 'GPUMapMode', 'GPUTextureUsage', 'GPUBuffer', 'GPUTexture', 'GPUExternalTexture'];

/** Loads `dawn.node` from the `webgpu` package; throws BackendError naming how to install it. */
function loadDawn(): DawnBinding {
  if (binding !== undefined) return binding;
  let dir: string;
  try {
    dir = path.dirname(require.resolve('webgpu/package.json'));
  } catch (error) {
    throw new BackendError("Backend 'webgpu' cannot be loaded: install the optional dependency with `npm install webgpu @tensorflow/tfjs-backend-webgpu`.", { cause: error });
  }
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  const file = path.join(dir, 'dist', `${process.platform}-${arch}`, 'dawn.node');
  try {
    binding = require(file) as DawnBinding;
  } catch (error) {
    throw new BackendError(`Backend 'webgpu' cannot be loaded: the \`webgpu\` package has no usable Dawn binary for ${process.platform}-${arch} (${file}).`, { cause: error });
  }
  for (const name of GLOBALS_TFJS_READS) {
    if (!(name in globalThis) && binding.globals[name] !== undefined) {
      Object.defineProperty(globalThis, name, { value: binding.globals[name], configurable: true, writable: true });
    }
  }
  return binding;
}

interface Attempt {
  flags: string[];
  featureLevel: 'core' | 'compatibility';
}
const ATTEMPTS: readonly Attempt[] = [
  { flags: [], featureLevel: 'core' },
  { flags: [], featureLevel: 'compatibility' },
  { flags: ['backend=opengles'], featureLevel: 'compatibility' },
];

const gpus = new Map<string, Gpu>();

async function requestAdapter(attempt: Attempt): Promise<Adapter | null> {
  const dawn = loadDawn();
  const key = attempt.flags.join(' ');
  let gpu = gpus.get(key);
  if (gpu === undefined) {
    gpu = dawn.create(attempt.flags);
    gpus.set(key, gpu);
  }
  const options = attempt.featureLevel === 'core' ? { powerPreference: 'high-performance' } : { powerPreference: 'high-performance', featureLevel: 'compatibility' };
  return gpu.requestAdapter(options);
}

/**
 * Finds an adapter: `hardwareOnly` (what `auto` asks) accepts only a core-feature, non-software adapter;
 * otherwise the first adapter of the attempts above. Resolves to undefined when there is none.
 */
export async function findAdapter(hardwareOnly: boolean): Promise<{ adapter: Adapter; report: WebGpuAdapterReport } | undefined> {
  for (const attempt of hardwareOnly ? ATTEMPTS.slice(0, 1) : ATTEMPTS) {
    const adapter = await requestAdapter(attempt);
    if (adapter === null) continue;
    const info = adapter.info ?? {};
    const report = { flags: attempt.flags, featureLevel: attempt.featureLevel, info, software: isSoftwareAdapter(info) };
    if (hardwareOnly && report.software) return undefined;
    return { adapter, report };
  }
  return undefined;
}

let lastReport: WebGpuAdapterReport | undefined;

/** The adapter the webgpu backend runs on in this process (undefined before it started). */
export function webGpuAdapter(): WebGpuAdapterReport | undefined {
  return lastReport;
}

/** The first adapter of the attempts; throws BackendError saying what to install when there is none. */
export async function requireAdapter(): Promise<{ adapter: Adapter; report: WebGpuAdapterReport }> {
  const found = await findAdapter(false);
  if (found !== undefined) return found;
  throw new BackendError(
    "Backend 'webgpu' found no GPU adapter: Dawn offered none through Vulkan/Metal/D3D12, nor through OpenGL ES in compatibility mode. On a machine without a GPU, install Mesa (Debian: libegl-dev libegl-mesa0 libgl1-mesa-dri; Dawn opens the unversioned libEGL.so) and run with EGL_PLATFORM=surfaceless.",
  );
}

/** The limits tfjs' own factory asks for (tfjs-backend-webgpu 4.22.0 base.ts). */
const LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];

type WebGpuPackage = { WebGPUBackend: new (device: unknown, adapterInfo?: AdapterInfo) => tf.KernelBackend };

/** Replaces tfjs' `OffscreenCanvas is not defined` on a synchronous read with a BackendError saying what to do. */
function withClearReadSync(backend: tf.KernelBackend): tf.KernelBackend {
  if (canReadSync()) return backend;
  // tfjs warns once that synchronous reads are slow, before the read that fails here; it would mislead.
  Object.assign(backend, { hasReadSyncWarned: true });
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    try {
      return readSync(dataId);
    } catch (error) {
      if (!(error instanceof ReferenceError) || !error.message.includes('OffscreenCanvas')) throw error;
      throw new BackendError(
        "Synchronous reads (dataSync, arraySync) from the 'webgpu' backend need OffscreenCanvas, which Node lacks: read with `await tensor.data()`, or use the wasm backend for code that reads synchronously.",
        { cause: error },
      );
    }
  };
  return backend;
}

/** Creates tfjs' WebGPUBackend on Dawn's device; throws BackendError when no adapter exists. */
async function createBackend(): Promise<tf.KernelBackend> {
  const pkg = require('@tensorflow/tfjs-backend-webgpu') as WebGpuPackage;
  const { adapter, report } = await requireAdapter();
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const requiredLimits = Object.fromEntries(LIMITS.filter((k) => adapter.limits[k] !== undefined).map((k) => [k, adapter.limits[k]]));
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  lastReport = report;
  return withClearReadSync(withNavigatorGpu(loadDawnGpu(report.flags), () => new pkg.WebGPUBackend(device, report.info)));
}

function loadDawnGpu(flags: string[]): Gpu {
  const gpu = gpus.get(flags.join(' '));
  if (gpu === undefined) throw new BackendError("Backend 'webgpu': internal error, the GPU object disappeared.");
  return gpu;
}

/** Runs `body` with `globalThis.navigator.gpu` set, then restores what was there. */
function withNavigatorGpu<T>(gpu: Gpu, body: () => T): T {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  if (g.navigator !== undefined && g.navigator.gpu !== undefined) return body();
  const navigator = g.navigator ?? {};
  const hadGpu = Object.getOwnPropertyDescriptor(navigator, 'gpu');
  Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
  if (g.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true });
  try {
    return body();
  } finally {
    if (hadGpu !== undefined) Object.defineProperty(navigator, 'gpu', hadGpu);
    else delete (navigator as { gpu?: unknown }).gpu;
    if (hadNavigator !== undefined) Object.defineProperty(globalThis, 'navigator', hadNavigator);
    else delete g.navigator;
  }
}

/**
 * Priority 0: tfjs never picks webgpu implicitly (its factory is async and may fail); keras-ts sets it
 * by name through `backend.use`.
 */
const WEBGPU_PRIORITY = 0;
let registered = false;

/** Registers keras-ts' 'webgpu' factory; throws when the optional packages are missing. */
export function registerWebGpu(): void {
  if (registered) return;
  require('@tensorflow/tfjs-backend-webgpu'); // registers its kernels for 'webgpu' (its factory only in browsers)
  loadDawn();
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', createBackend, WEBGPU_PRIORITY);
  registered = true;
}
