/** Hand-built keras-ts artifacts shared by the tfjs-format tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelArtifacts, SerializedObject, TrainingState, WeightValue } from '../src/saving/artifacts';

export const INPUT_DIM = 5;

/** Deterministic, non-round values (so a wrong byte order or offset shows). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.fround(Math.sin(seed * 97 + i * 1.7) * 0.8);
  return out;
}

export function denseConfig(name: string, units: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    units,
    activation: 'linear',
    useBias: true,
    kernelInitializer: { className: 'GlorotUniform', config: { seed: null } },
    biasInitializer: { className: 'Zeros', config: {} },
    kernelRegularizer: null,
    biasRegularizer: null,
    activityRegularizer: null,
    kernelConstraint: null,
    biasConstraint: null,
    ...overrides,
  };
}

export const weight = (name: string, shape: number[], seed: number): WeightValue => ({
  name,
  shape,
  values: values(shape.reduce((a, b) => a * b, 1), seed),
});

/** Dense(4, relu, L1 kernel regularizer, MaxNorm) → Dropout(0.2) → Dense(3, softmax), input [5]. */
export function sampleArtifacts(layerOverrides: Record<string, unknown> = {}): ModelArtifacts {
  const layers: SerializedObject[] = [
    {
      className: 'Dense',
      config: {
        ...denseConfig('dense', 4, {
          activation: 'relu',
          kernelRegularizer: { className: 'L1', config: { l1: 0.01 } },
          kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } },
          ...layerOverrides,
        }),
        inputShape: [INPUT_DIM],
      },
    },
    { className: 'Dropout', config: { name: 'dropout', rate: 0.2, noiseShape: null, seed: null } },
    { className: 'Dense', config: denseConfig('dense_1', 3, { activation: 'softmax' }) },
  ];
  return {
    model: { className: 'Sequential', config: { name: 'sequential', layers } },
    layers: [
      { layerName: 'dense', className: 'Dense', weights: [weight('kernel', [INPUT_DIM, 4], 1), weight('bias', [4], 2)] },
      { layerName: 'dropout', className: 'Dropout', weights: [] },
      { layerName: 'dense_1', className: 'Dense', weights: [weight('kernel', [4, 3], 3), weight('bias', [3], 4)] },
    ],
  };
}

/** Adam state after some steps: for each trainable weight in model order, its m then its v. */
export function adamTraining(): TrainingState {
  const shapes: Array<[string, number[]]> = [
    ['dense/kernel', [INPUT_DIM, 4]],
    ['dense/bias', [4]],
    ['dense_1/kernel', [4, 3]],
    ['dense_1/bias', [3]],
  ];
  return {
    optimizer: { className: 'Adam', config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
    iterations: 7,
    slots: shapes.flatMap(([name, shape], i) => [weight(`${name}/m`, shape, 10 + i), weight(`${name}/v`, shape, 20 + i)]),
    compile: { loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
    extras: { randomState: [12345, 678], epoch: 3 },
  };
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `keras-ts-${label}-`));
}
