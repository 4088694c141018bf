/** encodeKerasArchive → decodeKerasArchive gives back the artifacts, config and weights bit for bit. */
import { decodeKerasArchive, encodeKerasArchive } from '../src/saving/keras';
import { kerasSnakeCase } from '../src/saving/keras/names';
import { pythonFloat } from '../src/saving/keras/python-json';
import type { SerializedObject } from '../src/saving/artifacts';
import { comparable, entriesOf, sampleArtifacts } from './saving-keras-helpers';

const optimizers: [string, SerializedObject, string[]][] = [
  ['Adam', { className: 'Adam', config: { name: 'adam', learningRate: 0.002, weightDecay: null, beta1: 0.8, beta2: 0.99, epsilon: 1e-7, amsgrad: false } }, ['momentum', 'velocity']],
  ['Adam (amsgrad)', { className: 'Adam', config: { name: 'adam', learningRate: 0.001, weightDecay: null, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: true } }, ['momentum', 'velocity', 'velocity_hat']],
  ['AdamW', { className: 'AdamW', config: { name: 'adam_w', learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false } }, ['momentum', 'velocity']],
  ['SGD (momentum)', { className: 'SGD', config: { name: 'sgd', learningRate: 0.1, weightDecay: null, momentum: 0.9, nesterov: true } }, ['momentum']],
  ['SGD (plain)', { className: 'SGD', config: { name: 'sgd', learningRate: 0.01, weightDecay: null, momentum: 0, nesterov: false } }, []],
  ['RMSprop (centered, momentum)', { className: 'RMSprop', config: { name: 'rm_sprop', learningRate: 0.001, weightDecay: null, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true } }, ['velocity', 'momentum', 'average_gradient']],
  ['Adagrad', { className: 'Adagrad', config: { name: 'adagrad', learningRate: 0.01, weightDecay: null, initialAccumulatorValue: 0.1, epsilon: 1e-7 } }, ['accumulator']],
];

test('without training state', async () => {
  const artifacts = sampleArtifacts();
  const decoded = await decodeKerasArchive(await encodeKerasArchive(artifacts), 'sample.keras');
  expect(comparable(decoded)).toEqual(comparable(artifacts));
});

test.each(optimizers)('with %s state', async (_label, optimizer, slots) => {
  const artifacts = sampleArtifacts({ optimizer, slots, iterations: 1234, extras: { epoch: 3, stream: [1, 2.5] } });
  const decoded = await decodeKerasArchive(await encodeKerasArchive(artifacts), 'sample.keras');
  expect(comparable(decoded)).toEqual(comparable(artifacts));
});

test('includeOptimizer: false writes an uncompiled model', async () => {
  const artifacts = sampleArtifacts({ optimizer: optimizers[0]![1], slots: optimizers[0]![2] });
  const bytes = await encodeKerasArchive(artifacts, { includeOptimizer: false });
  const config = JSON.parse(new TextDecoder().decode(entriesOf(bytes)['config.json'])) as Record<string, unknown>;
  expect(config['compile_config']).toEqual({});
  const { training: _dropped, ...withoutTraining } = artifacts;
  expect(comparable(await decodeKerasArchive(bytes, 'sample.keras'))).toEqual(comparable(withoutTraining));
});

test('an optimizer that never stepped has no slots', async () => {
  const artifacts = sampleArtifacts({ optimizer: { className: 'Adam', config: {} }, slots: [], iterations: 0 });
  const decoded = await decodeKerasArchive(await encodeKerasArchive(artifacts), 'fresh.keras');
  expect(decoded.training?.slots).toEqual([]);
  expect(decoded.training?.iterations).toBe(0);
  // Missing keys were filled with Keras' defaults.
  expect(decoded.training?.optimizer).toEqual({
    className: 'Adam',
    config: { name: 'adam', learningRate: 0.001, weightDecay: null, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false },
  });
});

test('string identifiers and missing keys are written with their defaults', async () => {
  const artifacts = sampleArtifacts();
  const first = (artifacts.model.config['layers'] as SerializedObject[])[0]!;
  first.config = { name: 'hidden', units: 5, kernelInitializer: 'heUniform', kernelRegularizer: 'l1_l2', inputShape: [4] };
  const decoded = await decodeKerasArchive(await encodeKerasArchive(artifacts), 'strings.keras');
  const layer = (decoded.model.config['layers'] as SerializedObject[])[0]!;
  expect(layer.config).toEqual({
    name: 'hidden',
    units: 5,
    activation: 'linear',
    useBias: true,
    kernelInitializer: { className: 'HeUniform', config: { seed: null } },
    biasInitializer: { className: 'Zeros', config: {} },
    kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0 } },
    biasRegularizer: null,
    activityRegularizer: null,
    kernelConstraint: null,
    biasConstraint: null,
    inputShape: [4],
  });
});

test('floats are written the way Python writes them', () => {
  expect([0, 1, 3, 0.1, 1e-7, 1e-4, 1.5e-5, 1e16, 123456789.25, -2, 0.0010000000474974513].map(pythonFloat)).toEqual([
    '0.0', '1.0', '3.0', '0.1', '1e-07', '0.0001', '1.5e-05', '1e+16', '123456789.25', '-2.0', '0.0010000000474974513',
  ]);
});

test('group keys use Keras snake_case class names', () => {
  expect(['Dense', 'InputLayer', 'AdamW', 'RMSprop', 'BatchNormalization', 'Conv2D'].map(kerasSnakeCase)).toEqual([
    'dense', 'input_layer', 'adam_w', 'rm_sprop', 'batch_normalization', 'conv2d',
  ]);
});
