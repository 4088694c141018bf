/**
 * The encoder's output read by an independent reader: Python's zipfile, json and h5py
 * (tests/python/describe_keras_archive.py), compared entry by entry with what Keras 3 writes.
 * Skipped when no python3 with h5py is found, unless KERAS_TS_REQUIRE_PYTHON=1 (CI), which fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
});
