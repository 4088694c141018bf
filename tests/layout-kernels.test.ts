/**
 * keras-ts' layout kernels (KerasTsTranspose2D, KerasTsReluGrad, KerasTsColumnSum) on wasm (SIMD,
 * JavaScript edges) and cpu (JavaScript): each equals the tf ops it replaces bit for bit (a
 * transpose moves values; bias add and relu round once; column sums add rows in order like tf.sum),
 * NaN included, on shapes with and without edges; and the dense op's transposed training forward
 * (zᵀ = Wᵀ·xᵀ, taken on wasm when units > batch) matches inference and tfjs autograd.
 */
import { Sequential, layers, tf, utils } from '../src';
import { columnSum, reluGradWithBias, transpose2d, transposeBiasActivation } from '../src/backend/layout-kernels';
import { layoutModuleBytes } from '../src/backend/layout-simd';
import { adamModuleBytes } from '../src/backend/adam-simd';
import { penaltyModuleBytes } from '../src/backend/penalty-simd';
import { denseOp } from '../src/backend/dense-op';
import { RandomGenerator } from '../src/backend/random';
import { expectNoLeak, useBackend } from './helpers';

/** Seeded values in [-2, 2) with exact zeros, a −0 and a NaN (when there is room). */
function matrix(rows: number, cols: number, seed: number, special = true): tf.Tensor2D {
  const data = new RandomGenerator(seed).uniform(rows * cols, -2, 2);
  if (special && data.length > 8) {
    data[1] = 0;
    data[2] = -0;
    data[data.length - 2] = NaN;
  }
  return tf.tensor2d(data, [rows, cols]);
}

const bits = (t: tf.Tensor | Float32Array): number[] => Array.from(new Uint32Array(Float32Array.from(t instanceof Float32Array ? t : t.dataSync()).buffer));

/** The reference in plain JavaScript: out[j][i] = act(x[i][j] + bias[i]), rounded to float32 once; relu(v) = v ≤ 0 ? 0 : v. */
function referenceTranspose(x: tf.Tensor2D, bias: tf.Tensor1D | undefined, relu: boolean): Float32Array {
  const [rows, cols] = x.shape;
  const [v, b] = [x.dataSync(), bias?.dataSync()];
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const z = b === undefined ? v[i * cols + j]! : Math.fround(v[i * cols + j]! + b[i]!);
      out[j * rows + i] = relu && z <= 0 ? 0 : z;
    }
  }
  return out;
}

/** Column sums added top to bottom in float32: the order the kernels promise. */
function referenceColumnSums(x: tf.Tensor2D): Float32Array {
  const [rows, cols] = x.shape;
  const v = x.dataSync();
  const out = new Float32Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] = Math.fround(out[j]! + v[i * cols + j]!);
  return out;
}

// Multiples of 4 (SIMD only), edges on either side, both, a single row, and the workload's sizes.
const SHAPES: [number, number][] = [[4, 4], [8, 12], [7, 10], [13, 6], [1, 9], [9, 1], [3, 3], [130, 514], [512, 128], [128, 784]];

describe.each(['wasm', 'cpu'] as const)('on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));

  test.each(SHAPES)('transpose, bias and relu of a %i×%i matrix equal the tf ops bit for bit', async (rows, cols) => {
    await expectNoLeak(() => tf.tidy(() => {
      const x = matrix(rows, cols, rows * 1000 + cols);
      const bias = tf.tensor1d(new RandomGenerator(cols).uniform(rows, -1, 1));
      expect(bits(transpose2d(x))).toEqual(bits(tf.transpose(x)));
      expect(bits(transpose2d(x))).toEqual(bits(referenceTranspose(x, undefined, false)));
      expect(bits(transposeBiasActivation(x, bias, 'linear'))).toEqual(bits(referenceTranspose(x, bias, false)));
      expect(bits(transposeBiasActivation(x, bias, 'relu'))).toEqual(bits(referenceTranspose(x, bias, true)));
      expect(bits(transposeBiasActivation(x, undefined, 'relu'))).toEqual(bits(referenceTranspose(x, undefined, true)));
      // NaN stays NaN through relu, as tf.relu keeps it
      const nanAt = rows * cols - 2; // where matrix() put the NaN: row ⌊nanAt / cols⌋, column nanAt % cols
      expect(Number.isNaN(transposeBiasActivation(x, bias, 'relu').dataSync()[(nanAt % cols) * rows + Math.floor(nanAt / cols)]!)).toBe(rows * cols > 8);
      expect(transpose2d(x).shape).toEqual([cols, rows]);
    }));
  });

  test.each(SHAPES)('ReLU gradient and bias gradient of a %i×%i matrix equal select + tf.sum', async (rows, cols) => {
    await expectNoLeak(() => tf.tidy(() => {
      const dy = matrix(rows, cols, rows + cols, false);
      const y = tf.relu(matrix(rows, cols, rows * cols)); // NaN where the forward was NaN
      const [dz, db] = reluGradWithBias(dy, y);
      // a select: 0 wherever y ≤ 0 or y is NaN, even for a NaN dy
      const expected = tf.where(tf.greater(y, 0), dy, tf.zerosLike(dy));
      expect(bits(dz)).toEqual(bits(expected));
      expect(bits(db)).toEqual(bits(referenceColumnSums(expected as tf.Tensor2D)));
      expect(bits(columnSum(dy))).toEqual(bits(referenceColumnSums(dy)));
      // and within float32 rounding of tf.sum, whatever order it adds in
      const [ours, theirs, magnitude] = [columnSum(dy).dataSync(), tf.sum(dy, 0).dataSync(), tf.sum(tf.abs(dy), 0).dataSync()];
      ours.forEach((v, j) => expect(Math.abs(v - theirs[j]!)).toBeLessThanOrEqual(rows * 2 ** -23 * magnitude[j]!));
    }));
  });
});

test('the SIMD modules assemble and validate without Node globals (the browser build has no Buffer)', () => {
  const node = globalThis as { Buffer?: unknown; WebAssembly?: { validate(bytes: Uint8Array): boolean } };
  const buffer = node.Buffer;
  delete node.Buffer;
  try {
    for (const build of [layoutModuleBytes, adamModuleBytes, penaltyModuleBytes]) {
      for (const shared of [false, true]) expect(node.WebAssembly!.validate(build(shared))).toBe(true);
    }
  } finally {
    node.Buffer = buffer;
  }
});

test('wasm (SIMD) and cpu (JavaScript) give the same bits', async () => {
  const run = async (name: 'wasm' | 'cpu') => {
    await useBackend(name);
    return tf.tidy(() => {
      const x = matrix(130, 514, 5);
      const bias = tf.tensor1d(new RandomGenerator(6).uniform(130, -1, 1));
      const [dz, db] = reluGradWithBias(matrix(130, 514, 7, false), tf.relu(x));
      return [bits(transposeBiasActivation(x, bias, 'relu')), bits(dz), bits(db), bits(columnSum(x))];
    });
  };
  const wasm = await run('wasm');
  expect(await run('cpu')).toEqual(wasm);
});

describe('the transposed training forward on wasm (units > batch)', () => {
  beforeAll(() => useBackend('wasm'));

  test.each([['relu', true], ['relu', false], ['linear', true], ['linear', false]] as const)('%s, bias %s: outputs equal inference, gradients equal tf autograd', async (activation, useBias) => {
    await expectNoLeak(() => tf.tidy(() => {
      const random = new RandomGenerator(3);
      const [batch, inputs, units] = [6, 20, 36]; // units > batch: the transposed form
      const x = tf.tensor2d(random.uniform(batch * inputs, -1, 1), [batch, inputs]);
      const kernel = tf.variable(tf.tensor2d(random.uniform(inputs * units, -1, 1), [inputs, units]));
      const bias = useBias ? tf.variable(tf.tensor1d(random.uniform(units, -1, 1))) : undefined;
      const weights = tf.tensor2d(random.uniform(batch * units, -1, 1), [batch, units]);
      const options = { activation, inputGradient: true } as const;
      const trainingY = denseOp(x, kernel, bias, { ...options, training: true });
      const inferenceY = denseOp(x, kernel, bias, options);
      expect(Math.max(...tf.abs(tf.sub(trainingY, inferenceY)).dataSync())).toBeLessThanOrEqual(1e-5);

      const ours = tf.grads((xs: tf.Tensor, k: tf.Tensor, b?: tf.Tensor) => tf.sum(tf.mul(denseOp(xs as tf.Tensor2D, k as tf.Tensor2D, b as tf.Tensor1D | undefined, { ...options, training: true }), weights)));
      const plain = tf.grads((xs: tf.Tensor, k: tf.Tensor, b?: tf.Tensor) => {
        const z = tf.matMul(xs as tf.Tensor2D, k as tf.Tensor2D);
        const zb = b === undefined ? z : tf.add(z, b);
        return tf.sum(tf.mul(activation === 'relu' ? tf.relu(zb) : zb, weights));
      });
      const args = bias === undefined ? [x, kernel] : [x, kernel, bias];
      const [a, e] = [ours(args), plain(args)];
      a.forEach((g, i) => {
        expect(g.shape).toEqual(e[i]!.shape);
        expect(Math.max(...tf.abs(tf.sub(g, e[i]!)).dataSync())).toBeLessThanOrEqual(1e-5);
        expect(g.dataSync().some((v) => v !== 0)).toBe(true);
      });
      kernel.dispose();
      bias?.dispose();
    }));
  });

  test('an empty batch gives zero gradients of the right shapes (an empty sum), without a product XNNPACK refuses', async () => {
    await expectNoLeak(() => tf.tidy(() => {
      const x = tf.zeros([0, 5]) as tf.Tensor2D;
      const kernel = tf.tensor2d(new RandomGenerator(4).uniform(40, -1, 1), [5, 8]);
      const bias = tf.ones([8]) as tf.Tensor1D;
      const f = (xs: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => tf.sum(denseOp(xs as tf.Tensor2D, k as tf.Tensor2D, b as tf.Tensor1D, { activation: 'relu', inputGradient: true, training: true }));
      const [dx, dk, db] = tf.grads(f)([x, kernel, bias]);
      expect([dx!.shape, dk!.shape, db!.shape]).toEqual([[0, 5], [5, 8], [8]]);
      expect(Array.from(dk!.dataSync())).toEqual(new Array(40).fill(0));
      expect(Array.from(db!.dataSync())).toEqual(new Array(8).fill(0));
    }));
  });

  test('fit on wasm and on cpu train the same model to float tolerance (the cpu path has no transposes)', async () => {
    const train = async (name: 'wasm' | 'cpu') => {
      await useBackend(name);
      const random = new RandomGenerator(11);
      const x = tf.tensor2d(random.uniform(64 * 12, 0, 1), [64, 12]);
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 3), 'int32'), 3);
      utils.setRandomSeed(1);
      const model = new Sequential();
      model.add(layers.Dense(40, { activation: 'relu', inputShape: [12] }));
      model.add(layers.Dense(3, { activation: 'softmax' }));
      model.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'categoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      tf.dispose([x, y]);
      return { loss: history.history['loss'] as number[], weights };
    };
    const wasm = await train('wasm');
    const cpu = await train('cpu');
    wasm.loss.forEach((l, i) => expect(Math.abs(l - cpu.loss[i]!)).toBeLessThanOrEqual(1e-5));
    wasm.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - cpu.weights[i]![j]!)).toBeLessThanOrEqual(1e-5)));
  });
});
