/** Shared test fixtures: a seeded, learnable 3-class problem and tensor-leak checks. */
import { backend, tf, utils } from '../src';
import type { BackendName } from '../src';

/** Switches backend once per test file (the default for tests is wasm, the embedded default). */
export async function useBackend(name: BackendName = 'wasm'): Promise<void> {
  await backend.use(name);
}

/** rows × features standard-normal x; class = argmax of three fixed feature combinations. */
export function blobs(rows: number, features = 8, seed = 1): { x: tf.Tensor2D; y: tf.Tensor2D; labels: number[] } {
  return tf.tidy(() => {
    const x = tf.randomNormal([rows, features], 0, 1, 'float32', seed) as tf.Tensor2D;
    const v = x.arraySync();
    const labels = v.map((r) => {
      const s = [r[0]! + r[1]!, r[2]! - r[3]!, r[4]!];
      return s.indexOf(Math.max(...s));
    });
    return { x, y: utils.toCategorical(labels, 3), labels };
  });
}

/** Runs fn and asserts it leaves the tensor count unchanged. */
export async function expectNoLeak<T>(fn: () => Promise<T> | T): Promise<T> {
  const before = tf.memory();
  const result = await fn();
  const after = tf.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numDataBuffers).toBe(before.numDataBuffers);
  return result;
}

export function flat(tensors: tf.Tensor[]): number[][] {
  return tensors.map((t) => Array.from(t.dataSync()));
}
