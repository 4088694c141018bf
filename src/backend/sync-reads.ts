/**
 * Whether the active backend can read a tensor synchronously (`dataSync`, `arraySync`). Every
 * backend can, except tfjs-backend-webgpu 4.22 where OffscreenCanvas is missing (Node): it reads
 * through one. Code that must run there reads with `await tensor.data()`.
 */
import { tf } from './tf';

/** Whether this runtime has OffscreenCanvas, which tfjs-backend-webgpu's synchronous reads go through. */
export function canReadSync(): boolean {
  return typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'function';
}

/** Whether `dataSync` works on the active backend. */
export function syncReadsWork(): boolean {
  return tf.getBackend() !== 'webgpu' || canReadSync();
}
