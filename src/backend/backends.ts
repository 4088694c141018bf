/**
 * Backend selection. `auto` (the default, picked on first use) prefers native TensorFlow
 * (`@tensorflow/tfjs-node`, an optional dependency), then WebAssembly (XNNPACK), then pure JS.
 */
import { tf } from './tf';
import { BackendError, invalidArgument } from '../errors';

/** Backends keras-ts can run on, in the order `auto` tries them. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What `use` accepts: a backend or 'auto'. */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

const AUTO_ORDER: readonly BackendName[] = BACKEND_NAMES;

const INSTALL_HINTS: Record<BackendName, string> = {
  tensorflow: 'install it with `npm install @tensorflow/tfjs-node` (it downloads libtensorflow, so it needs internet access)',
  wasm: 'reinstall keras-ts so that its dependency `@tensorflow/tfjs-backend-wasm` is present',
  cpu: 'reinstall keras-ts so that `@tensorflow/tfjs` is complete',
};

/** Loads the package that registers a backend; returns the load error if it cannot. */
function registerBackend(name: BackendName): unknown {
  try {
    // Plain require: the packages register themselves with the shared tfjs engine on load.
    if (name === 'tensorflow') require('@tensorflow/tfjs-node');
    if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    return tf.findBackendFactory(name) ? undefined : new Error(`no '${name}' backend registered`);
  } catch (error) {
    return error;
  }
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

async function activate(name: BackendName): Promise<BackendName> {
  const loadError = registerBackend(name);
  if (loadError !== undefined) {
    throw new BackendError(`Backend '${name}' cannot be loaded: ${INSTALL_HINTS[name]}.`, { cause: loadError });
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError(`Backend '${name}' failed to initialize on this machine: ${INSTALL_HINTS[name]}.`);
  await tf.ready();
  active = name;
  return name;
}

async function activateAuto(): Promise<BackendName> {
  const failures: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      return await activate(name);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new BackendError(`No tfjs backend could be loaded:\n  ${failures.join('\n  ')}`);
}

/**
 * Switches keras-ts (and the shared tfjs engine) to a backend. `'auto'` picks the fastest that loads.
 * Resolves to the active backend's name. Throws `BackendError` naming how to install a missing one.
 */
export function use(choice: BackendChoice = 'auto'): Promise<BackendName> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw invalidArgument('backend', 'backend.use', `one of ${BACKEND_CHOICES.map((c) => `'${c}'`).join(', ')}`, choice);
  }
  pending = choice === 'auto' ? activateAuto() : activate(choice);
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
