/**
 * The fused softmax cross-entropy (KerasTsSoftmaxCrossEntropy and its gradient) on wasm and cpu:
 * value and gradients match tfjs' own formula (logSoftmax, multiply, sum) to float32 tolerance,
 * stay finite for huge logits, take int32 one-hot labels, and leak nothing.
 */
import { backend, tf } from '../src';
import { softmaxCrossEntropy } from '../src/backend/softmax-cross-entropy';
import { expectNoLeak } from './helpers';

const reference = (y: tf.Tensor, z: tf.Tensor) => tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(z)), -1));

function both(y: tf.Tensor, z: tf.Tensor, f: (y: tf.Tensor, z: tf.Tensor) => tf.Tensor): number[][] {
  return tf.tidy(() => {
    const weights = tf.linspace(0.5, 2, z.shape[0]!); // a non-uniform dy
    const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), weights)) as tf.Scalar;
    const [gy, gz] = tf.grads(loss)([y, z]);
    return [Array.from(f(y, z).dataSync()), Array.from(gy!.dataSync()), Array.from(gz!.dataSync())];
  });
}

test.each(['wasm', 'cpu'] as const)('on %s: value and both gradients match logSoftmax · labels, huge logits stay finite', async (name) => {
  await backend.use(name);
  const z = tf.tensor2d([[1, 2, 3, 0.5], [0, 0, 5, -2], [1e4, -1e4, 0, 3], [0.1, 0.2, 0.3, 0.4], [-3, -3, -3, -3]]);
  const y = tf.tensor2d([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]]);
  const got = await expectNoLeak(() => both(y, z, softmaxCrossEntropy));
  const want = both(y, z, reference);
  for (let i = 0; i < 3; i++) {
    got[i]!.forEach((v, j) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeCloseTo(want[i]![j]!, 4);
    });
  }
  expect(got[0]![2]).toBeCloseTo(2e4, 0); // −log softmax of a logit 2·10⁴ below the top one
  tf.dispose([z, y]);
  await backend.use('wasm');
});

test.each(['wasm', 'cpu'] as const)('on %s, int32 one-hot labels (tf.oneHot; cpu\'s cast keeps their Int32Array) give the float32 labels\' value and gradient', async (name) => {
  await backend.use(name);
  const z = tf.tensor2d([[1, 2, 3], [0, 4, -1]]);
  const oneHot = tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3);
  expect(oneHot.dtype).toBe('int32');
  const value = await expectNoLeak(() => tf.tidy(() => Array.from(softmaxCrossEntropy(oneHot, z).dataSync())));
  const grad = tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(softmaxCrossEntropy(oneHot, x)))(z).dataSync()));
  const float = tf.tidy(() => tf.cast(oneHot, 'float32'));
  const wantValue = tf.tidy(() => Array.from(reference(float, z).dataSync()));
  const wantGrad = tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(reference(float, x)))(z).dataSync()));
  value.forEach((v, i) => expect(v).toBeCloseTo(wantValue[i]!, 5));
  grad.forEach((v, i) => expect(v).toBeCloseTo(wantGrad[i]!, 5));
  tf.dispose([z, oneHot, float]);
  await backend.use('wasm');
});
