/**
 * Row batches of a training set's [rows, ...] tensors.
 *
 * On the wasm backend both ways tfjs offers are slow: tf.slice reads the whole source tensor into
 * JavaScript on every call (its kernel calls readSync without a range: 128 rows of a 60000×784
 * input copy 188 MB, ~130 ms), and tf.gather walks elements one by one (~3.5 ms for 128×784).
 * There the rows are copied in JavaScript from a view of the wasm heap and uploaded as a new
 * tensor (~0.1 ms). Other backends slice (contiguous) or gather (shuffled) natively.
 */
import { tf } from './tf';

type HostArray = Float32Array | Int32Array | Uint8Array;

/** The wasm backend's view of a tensor's bytes in its heap (valid until the next allocation). */
interface HeapBackend {
  typedArrayFromHeap(info: { shape: number[]; dtype: tf.DataType; dataId: object }): HostArray;
}

function heapView(t: tf.Tensor): HostArray | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<HeapBackend>;
  if (typeof backend.typedArrayFromHeap !== 'function') return undefined;
  return backend.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId });
}

/** Copies rows (all of [start, start+size), or order[start … start+size)) of one tensor host-side. */
function copyRows(view: HostArray, rowSize: number, start: number, size: number, order: Int32Array | undefined): HostArray {
  if (order === undefined) return view.slice(start * rowSize, (start + size) * rowSize);
  const out = new (view.constructor as new (n: number) => HostArray)(size * rowSize);
  for (let i = 0; i < size; i++) {
    const row = order[start + i]!;
    out.set(view.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  }
  return out;
}

/**
 * Rows [start, start + size) of each tensor — or, with `order`, rows order[start … start + size).
 * Call inside tf.tidy: any index tensor it makes is left to the enclosing scope.
 */
export function takeBatch(tensors: tf.Tensor[], start: number, size: number, order?: Int32Array): tf.Tensor[] {
  if (tf.getBackend() === 'wasm') {
    const out: tf.Tensor[] = [];
    for (const t of tensors) {
      const view = heapView(t);
      if (view === undefined) break;
      // The view is used before anything else allocates on the heap, so it cannot go stale.
      const rows = copyRows(view, t.size / t.shape[0]!, start, size, order);
      out.push(tf.tensor(rows, [size, ...t.shape.slice(1)], t.dtype));
    }
    if (out.length === tensors.length) return out;
    tf.dispose(out);
  }
  if (order === undefined) return tensors.map((t) => tf.slice(t, start, size));
  const indices = tf.tensor1d(order.subarray(start, start + size), 'int32');
  return tensors.map((t) => tf.gather(t, indices));
}
