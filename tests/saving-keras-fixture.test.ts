/** Reading a .keras file written by Python Keras 3.15.1 (tests/fixtures/keras3). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeKerasArchive, encodeKerasArchive } from '../src/saving/keras';
import type { ModelArtifacts } from '../src/saving/artifacts';
import { bits, entriesOf } from './saving-keras-helpers';

const FIXTURES = path.resolve(__dirname, 'fixtures/keras3');
const KERAS_FILE = path.join(FIXTURES, 'keras3_sequential.keras');

interface Expected {
  weights: unknown[];
  weights_names: string[];
  weights_shapes: number[][];
  config: unknown;
}

const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keras3_sequential.json'), 'utf8')) as Expected;
const glorot = { className: 'GlorotUniform', config: { seed: null } };
const zeros = { className: 'Zeros', config: {} };

const dense = (name: string, units: number, activation: string, extra: Record<string, unknown>) => ({
  className: 'Dense',
  config: {
    name,
    units,
    activation,
    useBias: true,
    kernelInitializer: glorot,
    biasInitializer: zeros,
    kernelRegularizer: null,
    biasRegularizer: null,
    activityRegularizer: null,
    kernelConstraint: null,
    biasConstraint: null,
    ...extra,
  },
});

let decoded: ModelArtifacts;

beforeAll(async () => {
  decoded = await decodeKerasArchive(new Uint8Array(fs.readFileSync(KERAS_FILE)), 'keras3_sequential.keras');
});

test('the config maps to the keras-ts form', () => {
  expect(decoded.model).toEqual({
    className: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        dense('dense', 64, 'relu', {
          // Keras stores L1's factor after a float32 round trip.
          kernelRegularizer: { className: 'L1', config: { l1: 0.0010000000474974513 } },
          kernelConstraint: { className: 'MaxNorm', config: { maxValue: 3, axis: 0 } },
          inputShape: [20],
        }),
        { className: 'Dropout', config: { name: 'dropout', rate: 0.2, seed: null, noiseShape: null } },
        dense('dense_1', 64, 'relu', {
          kernelRegularizer: { className: 'L2', config: { l2: 0.001 } },
          biasRegularizer: { className: 'L1L2', config: { l1: 0.01, l2: 0.02 } },
        }),
        dense('dense_2', 3, 'softmax', {}),
      ],
    },
  });
  expect(decoded.training).toBeUndefined();
});

test('weights equal what Keras reported, bit for bit, in get_weights() order', () => {
  const flat = decoded.layers.flatMap((layer) => layer.weights.map((w) => ({ name: `sequential/${layer.layerName}/${w.name}`, w })));
  expect(flat.map((f) => f.name)).toEqual(expected.weights_names);
  expect(flat.map((f) => f.w.shape)).toEqual(expected.weights_shapes);
  flat.forEach(({ w }, i) => {
    const reference = Float32Array.from((expected.weights[i] as unknown[]).flat(3) as number[]);
    expect(bits(w.values)).toEqual(bits(reference));
  });
  expect(decoded.layers.map((l) => [l.layerName, l.className, l.weights.length])).toEqual([
    ['dense', 'Dense', 2],
    ['dropout', 'Dropout', 0],
    ['dense_1', 'Dense', 2],
    ['dense_2', 'Dense', 2],
  ]);
});

test('re-encoding the fixture gives back the config Keras wrote', async () => {
  const bytes = await encodeKerasArchive(decoded, { date: new Date(2026, 10, 25, 12, 0, 45) });
  const ours = entriesOf(bytes);
  const theirs = entriesOf(new Uint8Array(fs.readFileSync(KERAS_FILE)));
  expect(Object.keys(ours)).toEqual(Object.keys(theirs));
  const dropShared = (_key: string, value: unknown) =>
    typeof value === 'object' && value !== null && 'shared_object_id' in value
      ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id'))
      : value;
  const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);
  expect(JSON.parse(text(ours['config.json']), dropShared)).toEqual(JSON.parse(text(theirs['config.json']), dropShared));
  expect(JSON.parse(text(ours['metadata.json']))).toEqual({ keras_version: '3.15.1', date_saved: '2026-11-25@12:00:45' });
  const again = await decodeKerasArchive(bytes, 'again.keras');
  expect(again.model).toEqual(decoded.model);
  again.layers.forEach((layer, i) => layer.weights.forEach((w, j) => expect(bits(w.values)).toEqual(bits(decoded.layers[i]!.weights[j]!.values))));
});
