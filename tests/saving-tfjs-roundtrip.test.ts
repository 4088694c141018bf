/**
 * keras-ts artifacts → tfjs-layers artifacts → keras-ts artifacts is exact: configs deep-equal,
 * weights bit for bit, what tfjs cannot hold recovered from userDefinedMetadata — and only while
 * that metadata still agrees with the tfjs fields.
 */
import { tf } from '../src/backend/tf';
import { ConfigError, FormatError } from '../src/errors';
import type { ModelArtifacts, SerializedObject, TrainingState } from '../src/saving/artifacts';
import { artifactsToTfjs, fileSystemHandler, tfjsToArtifacts } from '../src/saving/tfjs';
import { adamTraining, denseConfig, sampleArtifacts, tempDir, weight } from './saving-tfjs-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const bytes = (a: ModelArtifacts): Buffer[] =>
  [...a.layers.flatMap((l) => l.weights), ...(a.training?.slots ?? [])].map((w) => Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength));

function expectExact(back: ModelArtifacts, original: ModelArtifacts): void {
  expect(back).toEqual(original);
  expect(bytes(back)).toEqual(bytes(original));
}

const roundTrip = (a: ModelArtifacts): ModelArtifacts => tfjsToArtifacts(artifactsToTfjs(a), 'memory');

async function throughFiles(a: ModelArtifacts): Promise<ModelArtifacts> {
  const dir = tempDir('roundtrip');
  await fileSystemHandler(dir).save(artifactsToTfjs(a));
  return tfjsToArtifacts(await fileSystemHandler(dir).load(), dir);
}

function withFirstLayer(overrides: Record<string, unknown>, training?: TrainingState): ModelArtifacts {
  const a = sampleArtifacts(overrides);
  if (training !== undefined) a.training = training;
  return a;
}

const firstLayerTfjs = (a: ModelArtifacts): Record<string, unknown> =>
  (artifactsToTfjs(a).modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0]!.config;

describe('artifacts → tfjs → artifacts', () => {
  test('exact without training state, in memory and through files', async () => {
    const a = sampleArtifacts();
    // bit patterns a float compare would hide
    a.layers[0]!.weights[1]!.values.set([-0, NaN, Number.MIN_VALUE, -Infinity]);
    expectExact(roundTrip(a), a);
    expectExact(await throughFiles(a), a);
  });

  test('exact with Adam training state, compile settings and extras', async () => {
    const a = { ...sampleArtifacts(), training: adamTraining() };
    expectExact(roundTrip(a), a);
    expectExact(await throughFiles(a), a);
    const written = artifactsToTfjs(a);
    expect(written.trainingConfig).toEqual({
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
      optimizer_config: { class_name: 'Adam', config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
    });
    const optimizerSpecs = written.weightSpecs!.filter((s) => s.group === 'optimizer');
    expect(optimizerSpecs[0]).toEqual({ name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' });
    expect(optimizerSpecs.slice(1, 5).map((s) => s.name)).toEqual(['dense/kernel/m', 'dense/bias/m', 'dense_1/kernel/m', 'dense_1/bias/m']);
  });

  test.each<[string, SerializedObject, SerializedObject]>([
    ['L1', { className: 'L1', config: { l1: 0.01 } }, { class_name: 'L1L2', config: { l1: 0.01, l2: 0 } } as never],
    ['L2', { className: 'L2', config: { l2: 0.02 } }, { class_name: 'L1L2', config: { l1: 0, l2: 0.02 } } as never],
    ['L1L2', { className: 'L1L2', config: { l1: 0.01, l2: 0.02 } }, { class_name: 'L1L2', config: { l1: 0.01, l2: 0.02 } } as never],
    ['L1L2 with l2 = 0', { className: 'L1L2', config: { l1: 0.01, l2: 0 } }, { class_name: 'L1L2', config: { l1: 0.01, l2: 0 } } as never],
    ['L1L2 with l1 = 0', { className: 'L1L2', config: { l1: 0, l2: 0.3 } }, { class_name: 'L1L2', config: { l1: 0, l2: 0.3 } } as never],
    ['L1 with l1 = 0', { className: 'L1', config: { l1: 0 } }, { class_name: 'L1L2', config: { l1: 0, l2: 0 } } as never],
  ])('%s keeps its identity (tfjs sees the same penalty)', async (_, regularizer, tfjsForm) => {
    const a = withFirstLayer({ kernelRegularizer: regularizer, biasRegularizer: regularizer });
    expect(firstLayerTfjs(a)['kernel_regularizer']).toEqual(tfjsForm);
    expectExact(roundTrip(a), a);
    expectExact(await throughFiles(a), a);
  });

  test("keras-ts-only forms survive: activity regularizer, 'silu', string initializers, unknown options", () => {
    const a = withFirstLayer({
      activation: 'silu',
      activityRegularizer: { className: 'L2', config: { l2: 0.1 } },
      kernelInitializer: 'heUniform',
      biasInitializer: { className: 'RandomNormal', config: { mean: 0.5, stddev: 0.1, seed: 9 } },
      futureOption: { anything: [1, 2] },
    });
    const tfjs = firstLayerTfjs(a);
    expect(tfjs['activation']).toBe('swish');
    expect(tfjs['activity_regularizer']).toBeNull();
    expect(tfjs['kernel_initializer']).toEqual({ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'uniform', seed: null } });
    expect(tfjs['futureOption']).toBeUndefined();
    expectExact(roundTrip(a), a);
  });

  test.each<[string, SerializedObject]>([
    ['GlorotNormal', { className: 'GlorotNormal', config: { seed: 1 } }],
    ['HeNormal', { className: 'HeNormal', config: { seed: null } }],
    ['LecunUniform', { className: 'LecunUniform', config: { seed: null } }],
    ['LecunNormal', { className: 'LecunNormal', config: { seed: 4 } }],
    ['Ones', { className: 'Ones', config: {} }],
    ['RandomUniform', { className: 'RandomUniform', config: { minval: -1, maxval: 1, seed: null } }],
  ])('initializer %s round-trips through its tfjs form without metadata', (_, init) => {
    const a = withFirstLayer({ kernelInitializer: init });
    expect(artifactsToTfjs(a).userDefinedMetadata).toEqual({ 'keras-ts': { formatVersion: 1 } });
    expectExact(roundTrip(a), a);
  });

  test.each<[string, SerializedObject]>([
    ['NonNeg', { className: 'NonNeg', config: {} }],
    ['UnitNorm', { className: 'UnitNorm', config: { axis: 0 } }],
    ['MinMaxNorm', { className: 'MinMaxNorm', config: { minValue: 0.5, maxValue: 1.5, rate: 0.7, axis: 0 } }],
  ])('constraint %s round-trips', (_, constraint) => {
    const a = withFirstLayer({ kernelConstraint: constraint, biasConstraint: constraint });
    expectExact(roundTrip(a), a);
  });

  test('optimizers tfjs lacks (AdamW) live in metadata; no trainingConfig, stock tfjs still loads', async () => {
    const training: TrainingState = {
      ...adamTraining(),
      optimizer: { className: 'AdamW', config: { learningRate: 0.001, weightDecay: 0.004 } },
    };
    const a = { ...sampleArtifacts({ kernelConstraint: null }), training };
    const written = artifactsToTfjs(a);
    expect(written.trainingConfig).toBeUndefined();
    expectExact(roundTrip(a), a);
    const dir = tempDir('adamw');
    await fileSystemHandler(dir).save(written);
    const model = await tf.loadLayersModel(fileSystemHandler(dir));
    expect(model.getWeights().map((w) => w.dataSync())).toEqual(a.layers.flatMap((l) => l.weights.map((w) => w.values)));
    model.dispose();
  });

  test("compile aliases and metrics tfjs lacks: trainingConfig gets tfjs' names, metadata the originals", () => {
    const training: TrainingState = { ...adamTraining(), compile: { loss: 'mse', metrics: ['mae', 'binaryCrossentropy', 'acc'] } };
    const a = { ...sampleArtifacts(), training };
    const written = artifactsToTfjs(a);
    expect(written.trainingConfig!.loss).toBe('mean_squared_error');
    expect(written.trainingConfig!.metrics).toEqual(['mae', 'acc']);
    expectExact(roundTrip(a), a);
  });

  test('training state without compile settings, without extras, with no slots (SGD), and odd slot orders', () => {
    const { compile: _c, extras: _e, ...bare } = adamTraining();
    for (const training of [
      bare,
      { optimizer: { className: 'SGD', config: { learningRate: 0.1 } }, iterations: 0, slots: [], compile: { loss: 'meanSquaredError', metrics: [] } },
      { ...bare, slots: [...bare.slots].reverse() },
      { ...bare, slots: [weight('dense/kernel/v', [5, 4], 1), weight('dense/bias/m', [4], 2), weight('dense/kernel/m', [5, 4], 3)] },
    ]) {
      const a = { ...sampleArtifacts(), training };
      expectExact(roundTrip(a), a);
    }
  });
});

describe('metadata is used only while it agrees with the tfjs fields', () => {
  test('a layer entry is ignored once the topology no longer matches it', () => {
    const a = withFirstLayer({ kernelRegularizer: { className: 'L1L2', config: { l1: 0.01, l2: 0 } } });
    const written = artifactsToTfjs(a);
    const layer = (written.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0]!;
    layer.config['kernel_regularizer'] = { class_name: 'L1L2', config: { l1: 0.5, l2: 0 } }; // changed by another tool
    const back = tfjsToArtifacts(written, 'edited');
    expect(((back.model.config['layers'] as SerializedObject[])[0]!.config)['kernelRegularizer']).toEqual({ className: 'L1', config: { l1: 0.5 } });
  });

  test('extras are dropped when the optimizer stepped on elsewhere; optimizer entry dropped when recompiled', () => {
    const a = { ...sampleArtifacts(), training: { ...adamTraining(), optimizer: { className: 'Adam', config: { learningRate: 0.001 } } } };
    const written = artifactsToTfjs(a);
    const iter = written.weightSpecs!.findIndex((s) => s.name === 'iter');
    const offset = written.weightSpecs!.slice(0, iter).reduce((n, s) => n + s.shape.reduce((x, y) => x * y, 1) * 4, 0);
    new DataView(written.weightData as ArrayBuffer).setInt32(offset, 9, true);
    written.trainingConfig!.optimizer_config = { class_name: 'SGD', config: { learningRate: 0.5 } };
    const training = tfjsToArtifacts(written, 'edited').training!;
    expect(training.iterations).toBe(9);
    expect(training.extras).toBeUndefined();
    expect(training.optimizer).toEqual({ className: 'SGD', config: { learningRate: 0.5 } });
  });

  test('a tfjs re-save without the optimizer carries the metadata but no training state', () => {
    const written = artifactsToTfjs({ ...sampleArtifacts(), training: adamTraining() });
    const specs = written.weightSpecs!.filter((s) => s.group !== 'optimizer');
    const modelBytes = specs.reduce((n, s) => n + s.shape.reduce((x, y) => x * y, 1) * 4, 0);
    const { trainingConfig: _t, ...rest } = written;
    const back = tfjsToArtifacts({ ...rest, weightSpecs: specs, weightData: (written.weightData as ArrayBuffer).slice(0, modelBytes) }, 'resaved');
    expect(back.training).toBeUndefined();
    expect(back).toEqual(sampleArtifacts());
  });
});

describe('what neither side can hold is a clear error', () => {
  const tfjsWithLayer = (layer: Record<string, unknown>): tf.io.ModelArtifacts => ({
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [layer] } },
    format: 'layers-model',
  });

  test('writing: unknown regularizer / constraint / initializer / layer / activation classes', () => {
    expect(() => artifactsToTfjs(withFirstLayer({ kernelRegularizer: { className: 'L3', config: {} } }))).toThrow(
      /Unsupported regularizer class "L3" for `kernelRegularizer`: tfjs-layers can hold "L1", "L2", "L1L2", "L1Prox", "OrthogonalRegularizer" \(in layer 0 of the model artifacts \(Dense\)\)/,
    );
    expect(() => artifactsToTfjs(withFirstLayer({ kernelConstraint: { className: 'Clip', config: {} } }))).toThrow(/Unsupported constraint class "Clip".*"MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm"/);
    expect(() => artifactsToTfjs(withFirstLayer({ kernelInitializer: 'orthogonal' }))).toThrow(ConfigError);
    expect(() => artifactsToTfjs(withFirstLayer({ activation: 'exponential' }))).toThrow(/Invalid `activation`.*Received: activation="exponential"/);
    const conv = sampleArtifacts();
    (conv.model.config['layers'] as SerializedObject[])[1] = { className: 'Conv2D', config: { name: 'dropout' } };
    expect(() => artifactsToTfjs(conv)).toThrow(/Unsupported layer class "Conv2D": tfjs-layers files can hold "Dense", "Dropout"/);
  });

  test('writing: weights that do not match the model or their shapes', () => {
    const a = sampleArtifacts();
    a.layers[2]!.layerName = 'other';
    expect(() => artifactsToTfjs(a)).toThrow(/expected the weights of layer "dense_1" \(Dense\)/);
    const b = sampleArtifacts();
    b.layers[0]!.weights[0]!.shape = [4, 4];
    expect(() => artifactsToTfjs(b)).toThrow(/has 20 values, but its shape \[4, 4\] needs 16/);
    const c = { ...sampleArtifacts(), training: { ...adamTraining(), iterations: -1 } };
    expect(() => artifactsToTfjs(c)).toThrow(/training.iterations/);
  });

  test('reading: unknown classes name the source, the class and what is supported', () => {
    const dense = (extra: Record<string, unknown>) =>
      tfjsWithLayer({ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3], ...extra } });
    expect(() => tfjsToArtifacts(tfjsWithLayer({ class_name: 'Conv2D', config: { name: 'c' } }), '/models/a/model.json')).toThrow(
      /Unsupported layer class "Conv2D": keras-ts reads "Dense", "Dropout".*in layer 0 of \/models\/a\/model.json/,
    );
    expect(() => tfjsToArtifacts(dense({ kernel_initializer: { class_name: 'Orthogonal', config: { gain: 1 } } }), 'src.json')).toThrow(
      /Unsupported initializer class "Orthogonal" for `kernel_initializer`: keras-ts reads "VarianceScaling", "GlorotUniform".*src.json/,
    );
    expect(() =>
      tfjsToArtifacts(dense({ kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 3, mode: 'fan_out', distribution: 'normal' } } }), 'src.json'),
    ).toThrow(/Unsupported initializer VarianceScaling \{"scale":3,"mode":"fan_out","distribution":"normal"\}.*"GlorotUniform"/);
    expect(() => tfjsToArtifacts(dense({ activation: 'mish' }), 'src.json')).toThrow(FormatError);
    expect(() => tfjsToArtifacts({ ...tfjsWithLayer({}), format: 'graph-model' }, 'g.json')).toThrow(/Invalid `format` in g.json/);
    expect(() =>
      tfjsToArtifacts({ ...dense({}), trainingConfig: { loss: 'mean_squared_error', optimizer_config: { class_name: 'Adamax', config: {} } } }, 'o.json'),
    ).toThrow(/Unsupported optimizer class "Adamax": keras-ts reads "SGD", "Adam", "RMSProp", "Adagrad".*o.json/);
  });

  test('reading: non-float32 model weights and weights of no layer', () => {
    const a = sampleArtifacts();
    const written = artifactsToTfjs(a);
    written.weightSpecs![1]!.dtype = 'int32';
    expect(() => tfjsToArtifacts(written, 'w.json')).toThrow(/Unsupported dtype of weight "dense\/bias": expected float32.*Received: int32 \(in w.json\)/);
    const orphan = artifactsToTfjs(a);
    orphan.weightSpecs![0]!.name = 'ghost/kernel';
    expect(() => tfjsToArtifacts(orphan, 'w.json')).toThrow(/Weight "ghost\/kernel" belongs to no layer/);
  });

  test('no tensors are created or leaked, error paths included', () => {
    const before = tf.memory().numTensors;
    const a = { ...sampleArtifacts(), training: adamTraining() };
    tfjsToArtifacts(artifactsToTfjs(a), 'memory');
    expect(() => artifactsToTfjs(withFirstLayer({ kernelRegularizer: { className: 'L3', config: {} } }))).toThrow();
    const bad = artifactsToTfjs(a);
    bad.weightSpecs![0]!.dtype = 'bool';
    expect(() => tfjsToArtifacts(bad, 'bad')).toThrow(FormatError);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a second Dense layer without inputShape and a Dense without bias', () => {
    const a = sampleArtifacts();
    (a.model.config['layers'] as SerializedObject[]).push({ className: 'Dense', config: denseConfig('dense_2', 2, { useBias: false }) });
    a.layers.push({ layerName: 'dense_2', className: 'Dense', weights: [weight('kernel', [3, 2], 30)] });
    expectExact(roundTrip(a), a);
  });
});
