/**
 * keras-ts reads what stock tfjs-layers 4.22 writes, and writes byte-identical topology JSON for
 * the same model.
 */
import { tf } from '../src/backend/tf';
import type { SerializedObject } from '../src/saving/artifacts';
import { artifactsToTfjs, fileSystemHandler, tfjsToArtifacts } from '../src/saving/tfjs';
import { INPUT_DIM, sampleArtifacts, tempDir } from './saving-tfjs-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** What stock `model.save` hands an IOHandler. */
async function stockArtifacts(model: tf.LayersModel, includeOptimizer = false): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  return saved!;
}

function stockModel(): tf.Sequential {
  const model = tf.sequential({ name: 'stock' });
  model.add(
    tf.layers.dense({
      name: 'hidden',
      units: 6,
      inputShape: [INPUT_DIM],
      activation: 'tanh',
      kernelRegularizer: tf.regularizers.l1l2({ l1: 0.001, l2: 0.002 }),
      biasRegularizer: tf.regularizers.l2({ l2: 0.03 }),
      kernelConstraint: tf.constraints.maxNorm({ maxValue: 3, axis: 0 }),
      kernelInitializer: 'heNormal',
    }),
  );
  model.add(tf.layers.dropout({ name: 'drop', rate: 0.35, seed: 11 }));
  model.add(
    tf.layers.dense({
      name: 'out',
      units: 3,
      activation: 'softmax',
      kernelRegularizer: tf.regularizers.l1({ l1: 0.004 }),
      biasConstraint: tf.constraints.nonNeg(),
      biasInitializer: tf.initializers.randomUniform({ minval: 0.01, maxval: 0.1, seed: 3 }),
    }),
  );
  return model;
}

describe('keras-ts reads stock tfjs files', () => {
  test('config: L1L2 / L2 / L1 / MaxNorm / NonNeg / dropout / initializers in keras-ts form', async () => {
    const model = stockModel();
    const artifacts = tfjsToArtifacts(await stockArtifacts(model), 'stock');
    const layers = artifacts.model.config['layers'] as SerializedObject[];
    expect(artifacts.model.config['name']).toBe('stock');
    expect(layers[0]).toEqual({
      className: 'Dense',
      config: {
        name: 'hidden',
        units: 6,
        activation: 'tanh',
        useBias: true,
        kernelInitializer: { className: 'HeNormal', config: { seed: null } },
        biasInitializer: { className: 'Zeros', config: {} },
        kernelRegularizer: { className: 'L1L2', config: { l1: 0.001, l2: 0.002 } },
        biasRegularizer: { className: 'L2', config: { l2: 0.03 } },
        activityRegularizer: null,
        kernelConstraint: { className: 'MaxNorm', config: { maxValue: 3, axis: 0 } },
        biasConstraint: null,
        inputShape: [INPUT_DIM],
      },
    });
    expect(layers[1]).toEqual({ className: 'Dropout', config: { name: 'drop', rate: 0.35, noiseShape: null, seed: 11 } });
    expect(layers[2]!.config).toMatchObject({
      name: 'out',
      activation: 'softmax',
      kernelInitializer: { className: 'GlorotNormal', config: { seed: null } }, // tfjs Dense's default
      biasInitializer: { className: 'RandomUniform', config: { minval: 0.01, maxval: 0.1, seed: 3 } },
      kernelRegularizer: { className: 'L1', config: { l1: 0.004 } },
      biasConstraint: { className: 'NonNeg', config: {} },
    });
    expect(artifacts.training).toBeUndefined();
    model.dispose();
  });

  test("weights equal the tfjs model's, bit for bit, through the file handler", async () => {
    const model = stockModel();
    const dir = tempDir('stock-read');
    await model.save(fileSystemHandler(dir));
    const artifacts = tfjsToArtifacts(await fileSystemHandler(dir).load(), dir);
    expect(artifacts.layers.map((l) => [l.layerName, l.className, l.weights.map((w) => w.name)])).toEqual([
      ['hidden', 'Dense', ['kernel', 'bias']],
      ['drop', 'Dropout', []],
      ['out', 'Dense', ['kernel', 'bias']],
    ]);
    const ours = artifacts.layers.flatMap((l) => l.weights);
    const theirs = model.getWeights();
    expect(ours.map((w) => w.shape)).toEqual(theirs.map((t) => t.shape));
    expect(ours.map((w) => w.values)).toEqual(theirs.map((t) => t.dataSync()));
    model.dispose();
  });

  test('training state from includeOptimizer: Adam, iterations, moments in keras-ts order', async () => {
    const model = stockModel();
    model.compile({ optimizer: tf.train.adam(0.01, 0.8, 0.99), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.randomNormal([8, INPUT_DIM], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    const stock = await stockArtifacts(model, true);
    const training = tfjsToArtifacts(stock, 'stock').training!;
    expect(training.optimizer).toEqual({ className: 'Adam', config: { learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 } });
    expect(training.compile).toEqual({ loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    expect(training.iterations).toBe(4);
    expect(training.slots.map((s) => s.name)).toEqual([
      'hidden/kernel/m', 'hidden/kernel/v', 'hidden/bias/m', 'hidden/bias/v',
      'out/kernel/m', 'out/kernel/v', 'out/bias/m', 'out/bias/v',
    ]);
    // tfjs names slots after its (process-uniquified) variables and orders them slot kind by slot kind
    const state = await model.optimizer.getWeights();
    const stockSlots = state.slice(1);
    const m = stockSlots.slice(0, 4).map((w) => w.tensor.dataSync());
    const v = stockSlots.slice(4).map((w) => w.tensor.dataSync());
    expect(training.slots.map((s) => s.values)).toEqual([m[0], v[0], m[1], v[1], m[2], v[2], m[3], v[3]]);
    tf.dispose([xs, ys, ...state.map((w) => w.tensor)]);
    model.dispose();
  });

  test('keras-ts writes the topology JSON stock tfjs writes, byte for byte', async () => {
    const model = tf.sequential({ name: 'sequential' });
    model.add(
      tf.layers.dense({
        name: 'dense',
        units: 4,
        inputShape: [INPUT_DIM],
        activation: 'relu',
        kernelInitializer: 'glorotUniform',
        kernelRegularizer: tf.regularizers.l1({ l1: 0.01 }),
        kernelConstraint: tf.constraints.maxNorm({ maxValue: 2, axis: 0 }),
      }),
    );
    model.add(tf.layers.dropout({ name: 'dropout', rate: 0.2 }));
    model.add(tf.layers.dense({ name: 'dense_1', units: 3, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
    const ours = sampleArtifacts({ kernelConstraint: null });
    ours.model.config['layers'] = (ours.model.config['layers'] as SerializedObject[]).map((l, i) =>
      i === 0 ? { ...l, config: { ...l.config, kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } } } } : l,
    );
    model.setWeights(ours.layers.flatMap((l) => l.weights.map((w) => tf.tensor(w.values, w.shape))));
    const stock = await stockArtifacts(model);
    const written = artifactsToTfjs(ours);
    expect(JSON.stringify(written.modelTopology)).toBe(JSON.stringify(stock.modelTopology));
    expect(written.weightSpecs).toEqual(stock.weightSpecs);
    expect([written.format, written.generatedBy, written.convertedBy]).toEqual([stock.format, stock.generatedBy, stock.convertedBy]);
    model.dispose();
  });

  test('a leading InputLayer and the Keras model_config wrapper are read as tfjs reads them', () => {
    const dense = artifactsToTfjs(sampleArtifacts()).modelTopology as { config: { layers: { config: Record<string, unknown> }[] } };
    const [first, ...rest] = dense.config.layers;
    const { batch_input_shape: _shape, dtype: _dtype, ...firstWithoutShape } = first!.config;
    const topology = {
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          layers: [
            { class_name: 'InputLayer', config: { batch_input_shape: [null, INPUT_DIM], dtype: 'float32', sparse: false, name: 'input' } },
            { ...first, config: firstWithoutShape },
            ...rest,
          ],
        },
      },
    };
    const written = artifactsToTfjs(sampleArtifacts());
    const read = tfjsToArtifacts({ ...written, modelTopology: topology }, 'keras.json');
    expect(read).toEqual(sampleArtifacts());
  });
});
