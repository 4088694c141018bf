/**
 * Regularizers, constraints and initializers between keras-ts' `{ className, config }` form and
 * tfjs-layers' `{ class_name, config }` form (tfjs-layers 4.22: src/regularizers.ts,
 * constraints.ts, initializers.ts). One table entry per keras-ts class; where several keras-ts
 * classes share one tfjs class (L1, L2 and L1L2 are all tfjs `L1L2`; the Glorot/He/LeCun family
 * are all `VarianceScaling`), `owns` picks the entry from the tfjs config.
 */
import type { SerializedObject } from '../artifacts';
import { Fields, isRecord } from './fields';
import type { JsonObject } from './fields';

/** An object as tfjs' model.json spells it. */
export interface TfjsObject {
  class_name: string;
  config: JsonObject;
}

export interface ObjectCodec {
  /** keras-ts' (Keras') class name. */
  readonly keras: string;
  /** The tfjs class_name written. */
  readonly tfjs: string;
  /** tfjs class names read as this class (the written one and Keras-style aliases). */
  readonly reads: readonly string[];
  /** When several entries read one tfjs class: whether this one owns `f` (a tfjs config). Default: yes. */
  owns?(className: string, f: Fields): boolean;
  /** keras-ts config → tfjs config (snake_case keys, tfjs' key order). */
  toTfjs(f: Fields): JsonObject;
  /** tfjs config → keras-ts config (camelCase keys, every key present). */
  fromTfjs(f: Fields): JsonObject;
}

export type ObjectKind = 'regularizer' | 'constraint' | 'initializer';

/** tfjs' L1L2 defaults both strengths to 0.01 when a key is missing; keras-ts' constructors too. */
const strength = (f: Fields, key: 'l1' | 'l2'): number => f.number(key, 0.01);

const REGULARIZERS: readonly ObjectCodec[] = [
  {
    keras: 'L1',
    tfjs: 'L1L2',
    reads: ['L1L2'],
    owns: (_, f) => strength(f, 'l1') !== 0 && strength(f, 'l2') === 0,
    toTfjs: (f) => ({ l1: strength(f, 'l1'), l2: 0 }),
    fromTfjs: (f) => ({ l1: strength(f, 'l1') }),
  },
  {
    keras: 'L2',
    tfjs: 'L1L2',
    reads: ['L1L2'],
    owns: (_, f) => strength(f, 'l1') === 0 && strength(f, 'l2') !== 0,
    toTfjs: (f) => ({ l1: 0, l2: strength(f, 'l2') }),
    fromTfjs: (f) => ({ l2: strength(f, 'l2') }),
  },
  {
    keras: 'L1L2',
    tfjs: 'L1L2',
    reads: ['L1L2'],
    toTfjs: (f) => ({ l1: strength(f, 'l1'), l2: strength(f, 'l2') }),
    fromTfjs: (f) => ({ l1: strength(f, 'l1'), l2: strength(f, 'l2') }),
  },
  // keras-ts-only and Keras-only regularizers: tfjs gets the nearest penalty it has (L1Prox → L1, the
  // same penalty without the proximal step) or none (tfjs has no OrthogonalRegularizer); the layer's
  // exact config rides in the keras-ts metadata (see metadata.ts). Never read from a tfjs class.
  {
    keras: 'L1Prox',
    tfjs: 'L1L2',
    reads: [],
    toTfjs: (f) => ({ l1: strength(f, 'l1'), l2: 0 }),
    fromTfjs: (f) => ({ l1: strength(f, 'l1') }),
  },
  { keras: 'OrthogonalRegularizer', tfjs: '', reads: [], toTfjs: () => ({}), fromTfjs: () => ({}) },
];

const CONSTRAINTS: readonly ObjectCodec[] = [
  {
    keras: 'MaxNorm',
    tfjs: 'MaxNorm',
    reads: ['MaxNorm'],
    toTfjs: (f) => ({ max_value: f.number('maxValue', 2), axis: f.integer('axis', 0) }),
    fromTfjs: (f) => ({ maxValue: f.number('max_value', 2), axis: f.integer('axis', 0) }),
  },
  { keras: 'NonNeg', tfjs: 'NonNeg', reads: ['NonNeg'], toTfjs: () => ({}), fromTfjs: () => ({}) },
  {
    keras: 'UnitNorm',
    tfjs: 'UnitNorm',
    reads: ['UnitNorm'],
    toTfjs: (f) => ({ axis: f.integer('axis', 0) }),
    fromTfjs: (f) => ({ axis: f.integer('axis', 0) }),
  },
  {
    keras: 'MinMaxNorm',
    tfjs: 'MinMaxNorm',
    reads: ['MinMaxNorm'],
    toTfjs: (f) => ({
      min_value: f.number('minValue', 0),
      max_value: f.number('maxValue', 1),
      rate: f.number('rate', 1),
      axis: f.integer('axis', 0),
    }),
    fromTfjs: (f) => ({
      minValue: f.number('min_value', 0),
      maxValue: f.number('max_value', 1),
      rate: f.number('rate', 1),
      axis: f.integer('axis', 0),
    }),
  },
];

const snake = (value: string): string => value.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * A member of the variance-scaling family. tfjs writes them all as `VarianceScaling` with
 * scale/mode/distribution (its defaults: 1, fan_in, normal); Keras-converted files may name the
 * class itself, which tfjs also registers.
 */
function varianceScaling(
  keras: string,
  aliases: readonly string[],
  scale: number,
  mode: 'fan_in' | 'fan_avg',
  distribution: 'normal' | 'uniform',
): ObjectCodec {
  return {
    keras,
    tfjs: 'VarianceScaling',
    reads: ['VarianceScaling', ...aliases],
    owns: (className, f) =>
      aliases.includes(className) ||
      (f.number('scale', 1) === scale &&
        snake(f.string('mode', 'fan_in')) === mode &&
        snake(f.string('distribution', 'normal')) === distribution),
    toTfjs: (f) => ({ scale, mode, distribution, seed: f.seed('seed') }),
    fromTfjs: (f) => ({ seed: f.seed('seed') }),
  };
}

const INITIALIZERS: readonly ObjectCodec[] = [
  varianceScaling('GlorotUniform', ['GlorotUniform'], 1, 'fan_avg', 'uniform'),
  varianceScaling('GlorotNormal', ['GlorotNormal'], 1, 'fan_avg', 'normal'),
  varianceScaling('HeUniform', ['HeUniform'], 2, 'fan_in', 'uniform'),
  varianceScaling('HeNormal', ['HeNormal'], 2, 'fan_in', 'normal'),
  varianceScaling('LecunUniform', ['LeCunUniform', 'LecunUniform'], 1, 'fan_in', 'uniform'),
  varianceScaling('LecunNormal', ['LeCunNormal', 'LecunNormal'], 1, 'fan_in', 'normal'),
  { keras: 'Zeros', tfjs: 'Zeros', reads: ['Zeros'], toTfjs: () => ({}), fromTfjs: () => ({}) },
  { keras: 'Ones', tfjs: 'Ones', reads: ['Ones'], toTfjs: () => ({}), fromTfjs: () => ({}) },
  {
    keras: 'RandomNormal',
    tfjs: 'RandomNormal',
    reads: ['RandomNormal'],
    toTfjs: (f) => ({ mean: f.number('mean', 0), stddev: f.number('stddev', 0.05), seed: f.seed('seed') }),
    fromTfjs: (f) => ({ mean: f.number('mean', 0), stddev: f.number('stddev', 0.05), seed: f.seed('seed') }),
  },
  {
    keras: 'RandomUniform',
    tfjs: 'RandomUniform',
    reads: ['RandomUniform'],
    toTfjs: (f) => ({ minval: f.number('minval', -0.05), maxval: f.number('maxval', 0.05), seed: f.seed('seed') }),
    fromTfjs: (f) => ({ minval: f.number('minval', -0.05), maxval: f.number('maxval', 0.05), seed: f.seed('seed') }),
  },
];

const TABLES: Record<ObjectKind, readonly ObjectCodec[]> = {
  regularizer: REGULARIZERS,
  constraint: CONSTRAINTS,
  initializer: INITIALIZERS,
};

const unique = (names: readonly string[]): string[] => [...new Set(names)];
const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/** keras-ts' string identifier of a class ('GlorotUniform' → 'glorotUniform'); initializers accept these. */
const identifierOf = (className: string): string => className.charAt(0).toLowerCase() + className.slice(1);

/**
 * A keras-ts object (SerializedObject, or an initializer's string identifier such as
 * 'glorotUniform') as tfjs writes it; `null`/absent stays `null`. `owner` reads the artifacts.
 */
export function objectToTfjs(kind: ObjectKind, owner: Fields, key: string): TfjsObject | null {
  const value = owner.get(key);
  if (value == null) return null;
  const table = TABLES[kind];
  const expected = `null or { className: ${quoted(table.map((c) => c.keras))}, config }`;
  let className: string;
  let config: JsonObject;
  if (typeof value === 'string' && kind === 'initializer') {
    [className, config] = [table.find((c) => identifierOf(c.keras) === value)?.keras ?? value, {}];
  } else if (isRecord(value) && typeof value['className'] === 'string' && (value['config'] == null || isRecord(value['config']))) {
    [className, config] = [value['className'], (value['config'] as JsonObject | undefined) ?? {}];
  } else {
    throw owner.invalid(key, expected);
  }
  const codec = table.find((c) => c.keras === className);
  if (codec === undefined) {
    throw owner.error(`Unsupported ${kind} class "${className}" for \`${key}\`: tfjs-layers can hold ${quoted(table.map((c) => c.keras))}`);
  }
  const tfjsConfig = codec.toTfjs(owner.nested(config, `\`${key}\` (${className}) of ${owner.where}`));
  // A class tfjs has no counterpart for is written as none (the metadata keeps it).
  return codec.tfjs === '' ? null : { class_name: codec.tfjs, config: tfjsConfig };
}

/** A tfjs object from a model.json as keras-ts' SerializedObject; `null`/absent stays `null`. */
export function objectFromTfjs(kind: ObjectKind, owner: Fields, key: string): SerializedObject | null {
  const value = owner.get(key);
  if (value == null) return null;
  if (!isRecord(value) || typeof value['class_name'] !== 'string' || !(value['config'] == null || isRecord(value['config']))) {
    throw owner.invalid(key, 'null or { class_name, config }');
  }
  const className = value['class_name'];
  const f = owner.nested((value['config'] as JsonObject | undefined) ?? {}, `\`${key}\` (${className}) of ${owner.where}`);
  const table = TABLES[kind];
  const codec = table.find((c) => c.reads.includes(className) && (c.owns === undefined || c.owns(className, f)));
  if (codec === undefined) {
    const known = table.some((c) => c.reads.includes(className));
    throw owner.error(
      known
        ? `Unsupported ${kind} ${className} ${JSON.stringify(f.values)} for \`${key}\`: keras-ts reads ${quoted(table.map((c) => c.keras))}`
        : `Unsupported ${kind} class "${className}" for \`${key}\`: keras-ts reads ${quoted(unique(table.flatMap((c) => c.reads)))}`,
    );
  }
  return { className: codec.keras, config: codec.fromTfjs(f) };
}
