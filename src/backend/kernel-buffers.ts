/**
 * Plumbing of keras-ts' own kernels: their registration, and where they find tensor data: on the wasm backend, the tensor's bytes in the
 * module's heap (a live view, or a byte offset for the SIMD functions); on the cpu backend, the
 * stored Float32Array. Only the backends' long-standing public-by-convention fields are used.
 */
import { tf } from './tf';

type DataId = object;

interface WasmBackendLike {
  wasm: object;
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  typedArrayFromHeap(info: { shape: number[]; dtype: tf.DataType; dataId: DataId }): Float32Array;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  refCount(dataId: DataId): number;
}

interface CpuBackendLike {
  data: { get(dataId: DataId): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  refCount(dataId: DataId): number;
}

/** The wasm backend's module and a tensor's heap byte offset, or undefined on any other backend. */
export function wasmBackendOf(backend: tf.KernelBackend): { wasm: object; offset(t: tf.TensorInfo): number } | undefined {
  const wasm = backend as unknown as Partial<WasmBackendLike>;
  if (wasm.wasm === undefined || wasm.dataIdMap === undefined) return undefined;
  return { wasm: wasm.wasm, offset: (t) => wasm.dataIdMap!.get(t.dataId)!.memoryOffset };
}

/** A new float32 tensor's buffer on the wasm or cpu backend (uninitialized on wasm, zeros on cpu). */
export function newOutput(backend: tf.KernelBackend, shape: number[]): tf.TensorInfo {
  const wasm = backend as unknown as Partial<WasmBackendLike>;
  if (typeof wasm.makeOutput === 'function' && typeof wasm.typedArrayFromHeap === 'function') return wasm.makeOutput(shape, 'float32');
  return (backend as unknown as CpuBackendLike).makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape)));
}

/**
 * The float32 array behind a tensor on the active wasm or cpu backend: a live view of its storage,
 * except on cpu for a float32 tensor stored in another array type (tfjs' cpu Cast from int32 keeps
 * the Int32Array), which is read as a float32 copy — fine for inputs; outputs are always our own.
 */
export function float32Buffer(backend: tf.KernelBackend, t: tf.TensorInfo): Float32Array {
  if (t.dtype !== 'float32') throw new TypeError(`keras-ts kernels take float32 tensors; received ${t.dtype}`);
  const wasm = backend as unknown as Partial<WasmBackendLike>;
  if (typeof wasm.typedArrayFromHeap === 'function') return wasm.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId });
  const values = (backend as unknown as CpuBackendLike).data.get(t.dataId)?.values;
  if (values instanceof Float32Array) return values;
  if (values instanceof Int32Array || values instanceof Uint8Array) return Float32Array.from(values);
  throw new TypeError('keras-ts kernel: no numeric values stored for this tensor');
}

/** Whether `t` is the only tensor using its buffer (so it can be written in place). */
export function ownsBuffer(t: tf.Tensor): boolean {
  const backend = tf.backend() as unknown as Partial<WasmBackendLike>;
  return typeof backend.refCount === 'function' && backend.refCount(t.dataId) === 1;
}

/** The backends keras-ts registers its kernels for; other backends run the same math as tf ops. */
const KERNEL_BACKENDS = ['wasm', 'cpu'];

/**
 * Registers each (kernel name, function) for the wasm and cpu backends, next to tfjs' kernels and
 * never in place of one; a name already registered there is left alone.
 */
export function registerKernels(kernels: readonly (readonly [string, (args: never) => unknown])[]): void {
  for (const backendName of KERNEL_BACKENDS) {
    for (const [kernelName, kernelFunc] of kernels) {
      if (tf.getKernel(kernelName, backendName) === undefined) tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    }
  }
}
