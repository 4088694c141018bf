/**
 * Learning-rate schedules with Keras 3's formulas (keras/src/optimizers/schedules): a function of
 * the optimizer's step count, usable as `learningRate` in any optimizer config. One config form:
 * `{ className: 'ExponentialDecay', config: { initialLearningRate, decaySteps, decayRate, staircase } }`.
 */
import { ConfigError, describe, invalidArgument } from '../errors';
import { readOptions } from '../options';
import { ClassRegistry, isSerializedObject, serialize } from '../serialization';
import type { Serializable, SerializedObject } from '../serialization';

/** A learning rate as a function of the optimizer's iterations (updates applied so far). */
export abstract class LearningRateSchedule implements Serializable {
  abstract readonly className: string;
  /** The learning rate for the update after `step` updates. */
  abstract call(step: number): number;
  abstract getConfig(): Record<string, unknown>;
}

const positive = (arg: string, owner: string, value: unknown): number => {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw invalidArgument(arg, owner, 'a positive finite number', value);
  return value;
};
const finite = (arg: string, owner: string, value: unknown): number => {
  if (!(typeof value === 'number' && Number.isFinite(value))) throw invalidArgument(arg, owner, 'a finite number', value);
  return value;
};
const required = <T>(owner: string, arg: string, value: T | undefined): T => {
  if (value === undefined) throw new ConfigError(`Missing \`${arg}\` for ${owner}.`);
  return value;
};

export interface ExponentialDecayOptions {
  /** Learning rate at step 0. Required. */
  initialLearningRate: number;
  /** Steps per decay period. Required. */
  decaySteps: number;
  /** Factor per period. Required. */
  decayRate: number;
  /** Decay in whole periods (floor(step / decaySteps)) (default false). */
  staircase?: boolean;
}

/** initialLearningRate · decayRate^(step / decaySteps), the exponent floored with staircase (Keras' ExponentialDecay). */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  constructor(options: ExponentialDecayOptions) {
    super();
    const o = readOptions('ExponentialDecay', options, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = finite('initialLearningRate', 'ExponentialDecay', required('ExponentialDecay', 'initialLearningRate', o.initialLearningRate));
    this.decaySteps = positive('decaySteps', 'ExponentialDecay', required('ExponentialDecay', 'decaySteps', o.decaySteps));
    this.decayRate = finite('decayRate', 'ExponentialDecay', required('ExponentialDecay', 'decayRate', o.decayRate));
    const staircase = o.staircase ?? false;
    if (typeof staircase !== 'boolean') throw invalidArgument('staircase', 'ExponentialDecay', 'true or false', staircase);
    this.staircase = staircase;
  }
  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.decayRate ** (this.staircase ? Math.floor(p) : p);
  }
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

export interface CosineDecayOptions {
  /** Learning rate at step 0 (the start of the warmup when there is one). Required. */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup). Required. */
  decaySteps: number;
  /** Floor of the decay as a fraction of the rate decayed from (default 0). */
  alpha?: number;
  /** Rate reached at the end of a linear warmup; null = no warmup (default null). */
  warmupTarget?: number | null;
  /** Steps of the linear warmup (default 0). */
  warmupSteps?: number;
}

/**
 * Keras' CosineDecay: optionally a linear warmup from initialLearningRate to warmupTarget over
 * warmupSteps, then (1 − alpha)·½(1 + cos(π·t/decaySteps)) + alpha times the rate decayed from,
 * with t capped at decaySteps.
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | undefined;
  readonly warmupSteps: number;
  constructor(options: CosineDecayOptions) {
    super();
    const owner = 'CosineDecay';
    const o = readOptions(owner, options, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps']);
    this.initialLearningRate = finite('initialLearningRate', owner, required(owner, 'initialLearningRate', o.initialLearningRate));
    this.decaySteps = positive('decaySteps', owner, required(owner, 'decaySteps', o.decaySteps));
    this.alpha = finite('alpha', owner, o.alpha ?? 0);
    this.warmupTarget = o.warmupTarget === undefined || o.warmupTarget === null ? undefined : finite('warmupTarget', owner, o.warmupTarget);
    const warmupSteps = o.warmupSteps ?? 0;
    if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0)) throw invalidArgument('warmupSteps', owner, 'an integer >= 0', warmupSteps);
    this.warmupSteps = warmupSteps;
  }
  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }
  call(step: number): number {
    if (this.warmupTarget === undefined) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha, warmupTarget: this.warmupTarget ?? null, warmupSteps: this.warmupSteps };
  }
}

export interface PiecewiseConstantDecayOptions {
  /** Increasing step boundaries. Required. */
  boundaries: number[];
  /** One more value than boundaries: values[i] while step ≤ boundaries[i], the last one after. Required. */
  values: number[];
}

/** Keras' PiecewiseConstantDecay: values[0] for step ≤ boundaries[0], values[1] for boundaries[0] < step ≤ boundaries[1], … */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const owner = 'PiecewiseConstantDecay';
    const o = readOptions(owner, options, ['boundaries', 'values']);
    const boundaries = required(owner, 'boundaries', o.boundaries);
    const values = required(owner, 'values', o.values);
    if (!Array.isArray(boundaries) || !boundaries.every((b, i) => typeof b === 'number' && Number.isFinite(b) && (i === 0 || b > boundaries[i - 1]!))) {
      throw invalidArgument('boundaries', owner, 'an increasing array of finite numbers', boundaries);
    }
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v)) || values.length !== boundaries.length + 1) {
      throw new ConfigError(`Invalid \`values\` for ${owner}: expected ${boundaries.length + 1} finite numbers (one more than boundaries). Received: values=${describe(values)}`);
    }
    [this.boundaries, this.values] = [[...boundaries], [...values]];
  }
  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }
  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

const registry = new ClassRegistry<LearningRateSchedule>('learning rate schedule', [
  { className: 'ExponentialDecay', fromConfig: (c) => new ExponentialDecay(c as unknown as ExponentialDecayOptions) },
  { className: 'CosineDecay', fromConfig: (c) => new CosineDecay(c as unknown as CosineDecayOptions) },
  { className: 'PiecewiseConstantDecay', fromConfig: (c) => new PiecewiseConstantDecay(c as unknown as PiecewiseConstantDecayOptions) },
]);

export type ScheduleLike = LearningRateSchedule | SerializedObject;

/** A schedule from an instance or `{ className, config }`; undefined for anything else (a number). */
export function getSchedule(identifier: unknown): LearningRateSchedule | undefined {
  if (identifier instanceof LearningRateSchedule) return identifier;
  if (isSerializedObject(identifier) && registry.has(identifier.className)) return registry.fromSerialized(identifier);
  return undefined;
}

export { serialize as serializeSchedule };
