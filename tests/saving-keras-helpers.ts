/** Shared builders for the .keras codec tests: sample artifacts and zip surgery. */
import { unzipSync, zipSync } from 'fflate';
import type { ModelArtifacts, SerializedObject, TrainingState, WeightValue } from '../src/saving/artifacts';

/** Deterministic float32 values with a few edge cases (−0, a subnormal, the largest float32). */
export function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 0.6;
  }
  if (size > 3) {
    out[0] = -0;
    out[1] = 1e-45;
    out[2] = 3.4028234663852886e38;
  }
  return out;
}

const weight = (name: string, shape: number[], seed: number): WeightValue => ({
  name,
  shape,
  values: values(shape.reduce((a, b) => a * b, 1), seed),
});

const obj = (className: string, config: Record<string, unknown> = {}): SerializedObject => ({ className, config });

/** A model touching every supported class, in the canonical keras-ts form the decoder returns. */
export function sampleModel(): SerializedObject {
  return {
    className: 'Sequential',
    config: {
      name: 'sample_model',
      layers: [
        obj('Dense', {
          name: 'hidden',
          activityRegularizer: obj('L2', { l2: 0.003 }),
          units: 5,
          activation: 'relu',
          useBias: true,
          kernelInitializer: obj('HeUniform', { seed: 11 }),
          biasInitializer: obj('RandomNormal', { seed: 3, mean: 0.5, stddev: 0.25 }),
          kernelRegularizer: obj('L1L2', { l1: 0.001, l2: 0.002 }),
          biasRegularizer: obj('L1', { l1: 0.01 }),
          kernelConstraint: obj('MinMaxNorm', { minValue: 0.5, maxValue: 2, rate: 0.75, axis: 0 }),
          biasConstraint: obj('NonNeg'),
          inputShape: [4],
        }),
        obj('Dropout', { name: 'drop', rate: 0.25, seed: 7, noiseShape: null }),
        obj('Dense', {
          name: 'narrow',
          activityRegularizer: null,
          units: 3,
          activation: 'tanh',
          useBias: false,
          kernelInitializer: obj('GlorotNormal', { seed: null }),
          biasInitializer: obj('Ones'),
          kernelRegularizer: null,
          biasRegularizer: null,
          kernelConstraint: obj('UnitNorm', { axis: 1 }),
          biasConstraint: null,
        }),
        obj('Dense', {
          name: 'out',
          activityRegularizer: null,
          units: 2,
          activation: 'softmax',
          useBias: true,
          kernelInitializer: obj('RandomUniform', { seed: null, minval: -0.1, maxval: 0.1 }),
          biasInitializer: obj('Zeros'),
          kernelRegularizer: null,
          biasRegularizer: null,
          kernelConstraint: obj('MaxNorm', { maxValue: 3, axis: 0 }),
          biasConstraint: null,
        }),
      ],
    },
  };
}

/** The trainable weights of sampleModel, in model order. */
export const SAMPLE_TRAINABLE: [string, number[]][] = [
  ['hidden/kernel', [4, 5]],
  ['hidden/bias', [5]],
  ['narrow/kernel', [5, 3]],
  ['out/kernel', [3, 2]],
  ['out/bias', [2]],
];

/** Slots in TrainingState order: per trainable weight, each slot. */
export function sampleSlots(slotNames: string[]): WeightValue[] {
  return SAMPLE_TRAINABLE.flatMap(([prefix, shape], i) => slotNames.map((slot, j) => weight(`${prefix}/${slot}`, shape, 1000 + 10 * i + j)));
}

export function sampleArtifacts(training?: { optimizer: SerializedObject; slots: string[]; iterations?: number; extras?: Record<string, unknown> }): ModelArtifacts {
  const artifacts: ModelArtifacts = {
    model: sampleModel(),
    layers: [
      { layerName: 'hidden', className: 'Dense', weights: [weight('kernel', [4, 5], 1), weight('bias', [5], 2)] },
      { layerName: 'drop', className: 'Dropout', weights: [] },
      { layerName: 'narrow', className: 'Dense', weights: [weight('kernel', [5, 3], 3)] },
      { layerName: 'out', className: 'Dense', weights: [weight('kernel', [3, 2], 4), weight('bias', [2], 5)] },
    ],
  };
  if (training !== undefined) {
    const state: TrainingState = {
      optimizer: training.optimizer,
      iterations: training.iterations ?? 42,
      slots: sampleSlots(training.slots),
      compile: { loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
    };
    if (training.extras !== undefined) state.extras = training.extras;
    artifacts.training = state;
  }
  return artifacts;
}

/** Float arrays compared bit for bit (−0 ≠ 0, every NaN payload kept). */
export function bits(array: Float32Array): number[] {
  return Array.from(new Uint32Array(array.buffer, array.byteOffset, array.length));
}

/** Artifacts with every Float32Array replaced by its bit pattern, for toEqual. */
export function comparable(artifacts: ModelArtifacts): unknown {
  return JSON.parse(
    JSON.stringify(artifacts, (_key, value: unknown) => (value instanceof Float32Array ? { float32bits: bits(value) } : value)),
  );
}

/** The entries of a zip, as fflate reads them. */
export function entriesOf(archive: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(archive);
}

/** A zip of the given entries (stored unless `level` is given). */
export function zipOf(entries: Record<string, Uint8Array | string>, level: 0 | 6 = 0): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, data] of Object.entries(entries)) files[name] = [typeof data === 'string' ? new TextEncoder().encode(data) : data, { level }];
  return zipSync(files);
}

/** Offset of `name`'s central directory record. */
export function centralRecord(archive: Uint8Array, name: string): number {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  for (let at = archive.length - 46; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(archive.subarray(at + 46, at + 46 + length)) === name) return at;
  }
  throw new Error(`no central record for ${name}`);
}

/** A copy of `archive` with a central directory field of `name` overwritten (20: compressed size, 24: size). */
export function patchCentral(archive: Uint8Array, name: string, field: 20 | 24, value: number): Uint8Array {
  const copy = archive.slice();
  new DataView(copy.buffer).setUint32(centralRecord(copy, name) + field, value, true);
  return copy;
}
