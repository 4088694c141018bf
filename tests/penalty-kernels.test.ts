/**
 * keras-ts' fused L1/L2 kernels (KerasTsAbsSum, KerasTsSquareSum, KerasTsSignScale) on wasm (SIMD)
 * and cpu (JavaScript): sums are the exact sum rounded once to float32 (within a float32 ulp of a
 * float64 reference) and the same bits on both backends; the sign pass is exactly the former
 * step(x) − step(−x) formula times s (tf.sign(x)·s except NaN, which stays NaN); the L1 gradient
 * through them is exact.
 */
import { backend, regularizers, tf } from '../src';
import { absSum, signScale, squareSum } from '../src/backend/penalty-kernels';
import { expectNoLeak } from './helpers';

/** Values with exact zeros, negatives, a wide range; `n` not a multiple of 4 exercises the left-over path. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = i % 7 === 0 ? 0 : ((s / 2 ** 32) - 0.5) * (i % 3 === 0 ? 1e-3 : 3);
  }
  return out;
}

const SIZES = [1, 3, 4, 5, 1001, 784 * 512 + 3];
const reference = (x: Float32Array, term: (v: number) => number) => x.reduce((sum, v) => sum + term(v), 0);

async function onBackend(name: 'wasm' | 'cpu') {
  await backend.use(name);
  const out: Record<string, number[]> = {};
  for (const n of SIZES) {
    const data = values(n, n);
    const x = tf.tensor1d(data);
    const [a, q] = await expectNoLeak(() => tf.tidy(() => [absSum(x).dataSync()[0]!, squareSum(x).dataSync()[0]!]));
    const absRef = reference(data, Math.abs);
    const squareRef = reference(data, (v) => v * v);
    // Summed in float64, rounded once: within one float32 ulp (2^-23 relative) of the float64 sum.
    expect(Math.abs(a! - absRef)).toBeLessThanOrEqual(absRef * 2 ** -23);
    expect(Math.abs(q! - squareRef)).toBeLessThanOrEqual(squareRef * 2 ** -23);
    out[`abs${n}`] = [a!];
    out[`square${n}`] = [q!];
    x.dispose();
  }
  return out;
}

test('Σ|x| and Σx² match a float64 reference on wasm and cpu, and give the same bits on both', async () => {
  const wasm = await onBackend('wasm');
  const cpu = await onBackend('cpu');
  expect(cpu).toEqual(wasm);
  await backend.use('wasm');
});

test.each(['wasm', 'cpu'] as const)('s·sign(x) on %s is exactly (step(x) − step(−x))·s, NaN, ±0 and ±∞ included', async (name) => {
  await backend.use(name);
  for (const n of SIZES) {
    const data = values(n, 3 * n);
    if (n > 4) data.set([NaN, -0, Infinity, -Infinity], 1);
    const x = tf.tensor1d(data);
    const s = tf.scalar(0.0123);
    const got = await expectNoLeak(() => tf.tidy(() => Array.from(signScale(x, s).dataSync())));
    const want = tf.tidy(() => Array.from(tf.mul(tf.sub(tf.step(x, 0), tf.step(tf.neg(x), 0)), s).dataSync()));
    expect(got).toEqual(want);
    if (n > 4) expect(got.slice(1, 5)).toEqual([NaN, 0, Math.fround(0.0123), -Math.fround(0.0123)]);
    tf.dispose([x, s]);
  }
  await backend.use('wasm');
});

test('the L1 penalty and its gradient through the fused kernels: l1·Σ|w| and exactly l1·sign(w)', async () => {
  await backend.use('wasm');
  const w = tf.tensor2d(values(37 * 11, 9), [37, 11]);
  const l1 = regularizers.l1(0.003);
  const { value, grads } = await expectNoLeak(() => tf.tidy(() => {
    const [v, g] = [l1.apply(w), tf.grad((x: tf.Tensor) => l1.apply(x))(w)];
    return { value: v.dataSync()[0]!, grads: Array.from(g.dataSync()) };
  }));
  expect(value).toBeCloseTo(0.003 * reference(w.dataSync() as Float32Array, Math.abs), 6);
  expect(grads).toEqual(tf.tidy(() => Array.from(tf.mul(tf.sign(w), 0.003).dataSync())));
  w.dispose();
});
