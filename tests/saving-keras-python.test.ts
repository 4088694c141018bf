/**
 * The encoder's output read by an independent reader: Python's zipfile, json and h5py
 * (tests/python/describe_keras_archive.py), compared entry by entry with what Keras 3 writes.
 * Skipped when no python3 with h5py is found, unless KERAS_TS_REQUIRE_PYTHON=1 (CI), which fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sequential, layers, tf, utils } from '../src';
import { decodeKerasArchive, encodeKerasArchive } from '../src/saving/keras';
import { bits, sampleArtifacts } from './saving-keras-helpers';

const SCRIPT = path.join(__dirname, 'python', 'describe_keras_archive.py');
const KERAS_FIXTURE = path.resolve(__dirname, 'fixtures/keras3/keras3_sequential.keras');
const required = process.env['KERAS_TS_REQUIRE_PYTHON'] === '1';

/** The first of $KERAS_TS_PYTHON, python3, /usr/bin/python3 that imports h5py and numpy. */
function findPython(): string | undefined {
  const candidates = [process.env['KERAS_TS_PYTHON'], 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find((python) => spawnSync(python, ['-c', 'import h5py, numpy'], { stdio: 'ignore' }).status === 0);
}

const python = findPython();

interface H5Object {
  path: string;
  kind: 'group' | 'dataset';
  attrs: Record<string, { value: unknown; charset?: string; variable_length?: boolean }>;
  shape?: number[];
  dtype?: string;
  layout?: string;
  chunks?: unknown;
  compression?: unknown;
  values?: number[];
}

interface Description {
  zip: { name: string; compress_type: number; date_time: number[]; external_attr: number; create_system: number }[];
  metadata: Record<string, unknown>;
  config: Record<string, any>;
  floats: string[];
  h5: { libver: string[]; userblock_size: number; objects: H5Object[] };
}

function describeArchive(bytes: Uint8Array | string): Description {
  let file = typeof bytes === 'string' ? bytes : '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-py-'));
  try {
    if (typeof bytes !== 'string') {
      file = path.join(dir, 'model.keras');
      fs.writeFileSync(file, bytes);
    }
    const run = spawnSync(python!, [SCRIPT, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`describe_keras_archive.py failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Description;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const title = python
  ? `independent reader (${python} with h5py)`
  : required
    ? 'independent reader (KERAS_TS_REQUIRE_PYTHON=1)'
    : 'independent reader — skipped: no python3 with h5py (apt-get install python3-h5py python3-numpy, or set KERAS_TS_REQUIRE_PYTHON=1 to fail instead)';

(python || required ? describe : describe.skip)(title, () => {
  beforeAll(() => {
    if (!python) throw new Error('KERAS_TS_REQUIRE_PYTHON=1 but no python3 imports h5py; apt-get install python3-h5py python3-numpy.');
  });

  test('the zip entries, config and HDF5 layout match what Keras wrote for the fixture', async () => {
    const keras = describeArchive(KERAS_FIXTURE);
    const decoded = await decodeKerasArchive(new Uint8Array(fs.readFileSync(KERAS_FIXTURE)), 'fixture.keras');
    const ours = describeArchive(await encodeKerasArchive(decoded, { date: new Date(2026, 10, 25, 12, 0, 44) }));

    // Same entries, stored, same dates and permissions as Python's zipfile gives them in Keras.
    expect(ours.zip.map(({ name, compress_type, date_time, external_attr, create_system }) => ({ name, compress_type, date_time, external_attr, create_system }))).toEqual(
      keras.zip.map(({ name, compress_type, date_time, external_attr, create_system }) => ({ name, compress_type, date_time, external_attr, create_system })),
    );
    expect(Object.keys(ours.metadata)).toEqual(['keras_version', 'date_saved']);
    expect(ours.metadata['date_saved']).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
    const dropShared = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(dropShared)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id').map(([k, v]) => [k, dropShared(v)]))
          : value;
    expect(dropShared(ours.config)).toEqual(dropShared(keras.config));
    // HDF5: same objects in the same order, same attributes, shapes, dtypes, storage and values.
    expect(ours.h5.objects).toEqual(keras.h5.objects);
    expect(ours.h5.userblock_size).toBe(0);
  });

  test('optimizer state: step counter, learning rate and slots in Keras order, floats as Python floats', async () => {
    const optimizer = { className: 'RMSprop', config: { name: 'rm_sprop', learningRate: 0.001, weightDecay: null, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true } };
    const artifacts = sampleArtifacts({ optimizer, slots: ['velocity', 'momentum', 'average_gradient'], iterations: 99 });
    const ours = describeArchive(await encodeKerasArchive(artifacts));

    const byPath = new Map(ours.h5.objects.map((o) => [o.path, o]));
    expect(ours.h5.objects.filter((o) => o.kind === 'group').map((o) => o.path)).toEqual([
      'layers', 'layers/dense', 'layers/dense/vars', 'layers/dense_1', 'layers/dense_1/vars', 'layers/dense_2', 'layers/dense_2/vars',
      'layers/dropout', 'layers/dropout/vars', 'optimizer', 'optimizer/vars', 'vars',
    ]);
    const nameOf = (p: string) => byPath.get(p)?.attrs['name'];
    expect(nameOf('vars')).toEqual({ value: 'sample_model', charset: 'utf-8', variable_length: true });
    expect(nameOf('layers/dense/vars')?.value).toBe('hidden');
    expect(nameOf('layers/dropout/vars')?.value).toBe('drop');
    expect(nameOf('layers/dense_1/vars')?.value).toBe('narrow');
    expect(nameOf('optimizer/vars')?.value).toBe('rm_sprop');
    expect(byPath.get('layers/dense_1/vars/0')).toMatchObject({ shape: [5, 3], dtype: '<f4', layout: 'contiguous', chunks: null, compression: null });
    expect(byPath.has('layers/dense_1/vars/1')).toBe(false); // use_bias=False

    const step = byPath.get('optimizer/vars/0')!;
    expect(step).toMatchObject({ shape: [], dtype: '<i8', values: [99] });
    expect(byPath.get('optimizer/vars/1')).toMatchObject({ shape: [], dtype: '<f4', values: [Math.fround(0.001)] });
    // RMSprop builds all velocities, then all momentums, then all average gradients.
    const trainable = ['hidden/kernel', 'hidden/bias', 'narrow/kernel', 'out/kernel', 'out/bias'];
    const kerasOrder = ['velocity', 'momentum', 'average_gradient'].flatMap((slot) => trainable.map((w) => `${w}/${slot}`));
    const slots = new Map(artifacts.training!.slots.map((s) => [s.name, s]));
    kerasOrder.forEach((name, i) => {
      const stored = byPath.get(`optimizer/vars/${i + 2}`)!;
      const slot = slots.get(name)!;
      expect(stored.shape).toEqual(slot.shape);
      expect(bits(Float32Array.from(stored.values!))).toEqual(bits(slot.values));
    });
    expect(byPath.has(`optimizer/vars/${kerasOrder.length + 2}`)).toBe(false);

    const compile = ours.config['compile_config'];
    expect(compile).toEqual({
      optimizer: {
        module: 'keras.optimizers',
        class_name: 'RMSprop',
        config: {
          name: 'rm_sprop', learning_rate: 0.001, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null,
          use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null,
          gradient_accumulation_steps: null, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true,
        },
        registered_name: null,
      },
      loss: 'categorical_crossentropy', loss_weights: null, metrics: ['accuracy'], weighted_metrics: null,
      run_eagerly: false, steps_per_execution: 1, jit_compile: false,
    });
    // Keras' optimizers reject an int learning rate, so it must be written as a float.
    expect(ours.floats).toEqual(expect.arrayContaining([
      'compile_config.optimizer.config.learning_rate', 'compile_config.optimizer.config.momentum', 'config.layers[2].config.rate',
    ]));
    expect(ours.floats).not.toContain('config.layers[1].config.units');
    const dense = ours.config['config']['layers'][1];
    expect(Object.keys(dense.config)).toEqual([
      'name', 'trainable', 'dtype', 'activity_regularizer', 'units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer',
      'kernel_regularizer', 'bias_regularizer', 'kernel_constraint', 'bias_constraint', 'quantization_config',
    ]);
    expect(dense.build_config).toEqual({ input_shape: [null, 4] });
    expect(ours.config['config']['layers'][0]).toEqual({
      module: 'keras.layers', class_name: 'InputLayer', registered_name: null,
      config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer', optional: false },
    });
  });

  test('BatchNormalization and LayerNormalization: Keras\' keys, build_config, and vars/0..3 as gamma, beta, moving_mean, moving_variance', async () => {
    utils.setRandomSeed(21);
    const model = new Sequential([
      layers.Dense(4, { inputShape: [3] }),
      layers.BatchNormalization({ momentum: 0.5 }),
      layers.LayerNormalization(),
      layers.Reshape([2, 2]),
      layers.SpatialDropout1D(0.1),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tf.randomNormal([16, 3], 0, 1, 'float32', 1);
    const y = tf.randomNormal([16, 2, 2], 0, 1, 'float32', 2);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-bn-'));
    const file = path.join(dir, 'bn.keras');
    await model.save(file);
    const ours = describeArchive(file);
    fs.rmSync(dir, { recursive: true, force: true });

    const kerasLayers = ours.config['config']['layers'] as { class_name: string; config: Record<string, unknown>; build_config?: unknown }[];
    const bn = kerasLayers[2]!;
    expect(bn.class_name).toBe('BatchNormalization');
    expect(Object.keys(bn.config)).toEqual([
      'name', 'trainable', 'dtype', 'axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer',
      'moving_mean_initializer', 'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint',
      'synchronized',
    ]);
    expect(bn.build_config).toEqual({ input_shape: [null, 4] });
    expect(ours.floats).toEqual(expect.arrayContaining(['config.layers[2].config.momentum', 'config.layers[2].config.epsilon', 'config.layers[3].config.epsilon']));
    const ln = kerasLayers[3]!;
    expect(Object.keys(ln.config)).toEqual([
      'name', 'trainable', 'dtype', 'axis', 'epsilon', 'center', 'scale', 'rms_scaling', 'beta_initializer', 'gamma_initializer',
      'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint',
    ]);
    expect(ln.config['axis']).toEqual([-1]); // Keras' built LayerNormalization holds a list
    expect(kerasLayers[4]).toMatchObject({ class_name: 'Reshape', config: { target_shape: [2, 2] }, build_config: { input_shape: [null, 4] } });
    expect(Object.keys(kerasLayers[5]!.config)).toEqual(['rate', 'seed', 'name', 'dtype']);
    expect(kerasLayers[5]!.build_config).toBeUndefined();

    const byPath = new Map(ours.h5.objects.map((o) => [o.path, o]));
    const weights = model.layers[1]!.weights;
    expect(weights.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    weights.forEach((w, i) => {
      const stored = byPath.get(`layers/batch_normalization/vars/${i}`)!;
      expect(stored).toMatchObject({ shape: [4], dtype: '<f4' });
      expect(bits(Float32Array.from(stored.values!))).toEqual(bits(w.variable.dataSync() as Float32Array));
    });
    expect(byPath.has('layers/batch_normalization/vars/4')).toBe(false);
    expect(byPath.get('layers/layer_normalization/vars/0')).toMatchObject({ shape: [4] });
    expect(byPath.get('layers/layer_normalization/vars/1')).toMatchObject({ shape: [4] });
    tf.dispose([x, y]);
    model.dispose();
  });
});
