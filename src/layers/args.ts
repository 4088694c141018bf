/**
 * Argument helpers shared by the layer constructors: the Keras-style first positional argument
 * (`GaussianNoise(0.1, { … })` or `GaussianNoise({ stddev: 0.1, … })`, what getConfig() returns),
 * rates and data formats.
 */
import { tf } from '../backend/tf';
import { ConfigError, invalidArgument } from '../errors';
import { readOptions } from '../options';

/** 'channels_last' (default): [batch, ...spatial, channels]; 'channels_first': [batch, channels, ...spatial]. */
export type DataFormat = 'channels_last' | 'channels_first';

const isOptionsObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a constructor's options and its first argument `key`: given positionally, it must agree
 * with the same key in the options (if set). Returns the checked options and the argument's value.
 */
export function readLayerArgs<T extends object, K extends keyof T & string>(
  owner: string, key: K, first: unknown, options: T | undefined, known: readonly string[],
): { o: Partial<T>; value: unknown } {
  const positional = !isOptionsObject(first);
  const o = readOptions(owner, (positional ? options : first) as T | undefined, known);
  if (!positional) return { o, value: o[key] };
  const given = o[key] as unknown;
  if (given !== undefined && JSON.stringify(given) !== JSON.stringify(first)) {
    throw invalidArgument(key, owner, `the same value as the first argument (${JSON.stringify(first)})`, given);
  }
  return { o, value: first };
}

/** A drop rate in [0, 1). */
export function checkRate(owner: string, rate: unknown): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw invalidArgument('rate', owner, 'a number in [0, 1)', rate);
  return rate;
}

/** 'channels_last' or 'channels_first' (default 'channels_last'). */
export function checkDataFormat(owner: string, format: unknown): DataFormat {
  if (format === undefined) return 'channels_last';
  if (format !== 'channels_last' && format !== 'channels_first') {
    throw invalidArgument('dataFormat', owner, "'channels_last' or 'channels_first'", format);
  }
  return format;
}

/** A boolean option (default `fallback`). */
export function checkBoolean(owner: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgument(key, owner, 'true or false', value);
  return value;
}

/** A noiseShape option: positive integers or null (null takes the input's size on that axis). */
export function checkNoiseShape(owner: string, noiseShape: unknown): (number | null)[] | undefined {
  if (noiseShape === undefined) return undefined;
  if (!Array.isArray(noiseShape) || !noiseShape.every((d) => d == null || (Number.isInteger(d) && d > 0))) {
    throw invalidArgument('noiseShape', owner, 'an array of positive integers or null, e.g. [null, 1]', noiseShape);
  }
  return noiseShape.map((d: number | null | undefined) => d ?? null);
}

/** A mask's shape for an input shape: noiseShape with its open entries filled from the input. */
export function maskShape(owner: string, noiseShape: (number | null)[] | undefined, shape: number[]): number[] {
  if (noiseShape === undefined) return shape;
  if (noiseShape.length !== shape.length) {
    throw invalidArgument('noiseShape', owner, `${shape.length} entries to match input shape [${shape.join(', ')}]`, noiseShape);
  }
  return noiseShape.map((d, i) => d ?? shape[i]!);
}

/** Resolves one option, naming it and its owner in any error from the resolver. */
export function resolveOption<T>(owner: string, key: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    throw new ConfigError(`Invalid \`${key}\` for ${owner}: ${(error as Error).message}`, { cause: error });
  }
}

/** A trainable (or not) variable holding `initial`'s values; `initial` itself is released. */
export function ownedVariable(initial: tf.Tensor, trainable: boolean, name?: string): tf.Variable {
  const variable = tf.variable(initial, trainable, name);
  initial.dispose();
  return variable;
}
