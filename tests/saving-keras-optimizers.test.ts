/** Optimizer state in .keras files that Keras itself trained and saved (tests/fixtures/keras3-optimizers). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeKerasArchive } from '../src/saving/keras';
import { bits } from './saving-keras-helpers';

const DIR = path.join(__dirname, 'fixtures', 'keras3-optimizers');

interface Reported {
  iterations: number;
  optimizer_paths: string[];
  optimizer_values: number[][];
  weights: number[][];
}

const cases: [string, string, Record<string, unknown>][] = [
  ['adam_amsgrad', 'Adam', { name: 'adam', amsgrad: true, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: null }],
  ['rmsprop_centered', 'RMSprop', { name: 'rm_sprop', rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true, weightDecay: null }],
  ['sgd_nesterov', 'SGD', { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: null }],
];

test.each(cases)('%s: optimizer, step count and every slot as Keras saved them', async (name, className, config) => {
  const reported = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Reported;
  const decoded = await decodeKerasArchive(new Uint8Array(fs.readFileSync(path.join(DIR, `${name}.keras`))), `${name}.keras`);
  const training = decoded.training!;
  expect(training.optimizer.className).toBe(className);
  expect(training.optimizer.config).toMatchObject(config);
  expect(training.iterations).toBe(reported.iterations);
  expect(training.compile).toEqual({ loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  // Keras names slot variables `<optimizer>/<model>_<layer>_<weight>_<slot>`; ours are `<layer>/<weight>/<slot>`.
  const keras = new Map(reported.optimizer_paths.map((p, i) => [p.slice(p.indexOf('/') + 1), reported.optimizer_values[i]!]));
  expect(training.slots).toHaveLength(reported.optimizer_paths.length - 2);
  for (const slot of training.slots) {
    const reference = keras.get(`${String(decoded.model.config['name'])}_${slot.name.replace(/\//g, '_')}`);
    expect(reference).toBeDefined();
    expect(bits(slot.values)).toEqual(bits(Float32Array.from(reference!)));
  }
  const weights = decoded.layers.flatMap((layer) => layer.weights.map((w) => w.values));
  expect(weights.map(bits)).toEqual(reported.weights.map((w) => bits(Float32Array.from(w))));
});
