/**
 * One Keras object ⇄ one keras-ts SerializedObject, driven by the class tables:
 *
 *   { module: 'keras.regularizers', class_name: 'L1L2', config: { l1: 0.01, l2: 0.02 }, registered_name: null }
 *   ⇄ { className: 'L1L2', config: { l1: 0.01, l2: 0.02 } }
 *
 * Reading checks every value against its kind and fails with a FormatError naming the file, the
 * entry and the key path; writing checks the artifacts and fails with a ConfigError.
 */
import { z } from 'zod';
import { ConfigError, describe } from '../../errors';
import type { SerializedObject } from '../artifacts';
import { formatError } from './format';
import { snakeToCamel } from './names';
import { PyFloat } from './python-json';
import type { PyJson } from './python-json';
import { findByIdentifier, findClass, supportedClassNames } from './classes/registry';
import { isKerasOnly } from './classes/spec';
import type { ClassSpec, Family, Field, NestedFamily, ValueKind } from './classes/spec';

/** Where a value sits in the file being read, for error messages. */
export interface ReadPlace {
  source: string;
  entry: string;
  /** Key path inside the entry: 'config.layers[1].config.units'. */
  path: string;
}

export const at = (place: ReadPlace, key: string | number): ReadPlace => ({
  ...place,
  path: typeof key === 'number' ? `${place.path}[${key}]` : place.path === '' ? key : `${place.path}.${key}`,
});

export function readError(place: ReadPlace, problem: string, expected: string, received?: unknown) {
  const subject = place.path === '' ? 'the top-level object' : `\`${place.path}\``;
  return formatError(place.source, place.entry, `${subject} ${problem}`, expected, received);
}

/** ConfigError for artifacts that cannot be written. */
export function writeError(path: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(`Invalid model artifacts at \`${path}\`: expected ${expected}. Received: ${describe(received)}`);
}

/** The envelope Keras 3 wraps every object in (serialization_lib.serialize_keras_object). */
export const kerasObjectSchema = z.looseObject({
  module: z.string().optional(),
  class_name: z.string(),
  config: z.record(z.string(), z.unknown()),
  registered_name: z.string().nullable().optional(),
});

export type KerasObject = z.infer<typeof kerasObjectSchema>;

export const tsKey = (field: Field): string => field.ts ?? snakeToCamel(field.keras);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

// ---------------------------------------------------------------------------------------------
// Reading (Keras → keras-ts)

const SCHEMAS: Record<Exclude<ValueKind, NestedFamily>, { schema: z.ZodType; expected: string }> = {
  float: { schema: z.number().finite(), expected: 'a finite number' },
  int: { schema: z.number().int(), expected: 'an integer' },
  bool: { schema: z.boolean(), expected: 'true or false' },
  string: { schema: z.string(), expected: 'a string' },
  activation: { schema: z.string(), expected: 'an activation name such as "relu"' },
  dims: { schema: z.array(z.number().int().positive().nullable()), expected: 'a list of positive integers or nulls' },
  shape: {
    schema: z.array(z.number().int().refine((d) => d > 0 || d === -1)).min(1).refine((s) => s.filter((d) => d === -1).length <= 1),
    expected: 'a list of positive integers with at most one -1',
  },
  axes: {
    schema: z.union([z.number().int(), z.array(z.number().int()).min(1)]).transform((a) => (Array.isArray(a) && a.length === 1 ? a[0]! : a)),
    expected: 'an integer axis or a list of them',
  },
};

const isNested = (kind: ValueKind): kind is NestedFamily => kind === 'regularizer' || kind === 'constraint' || kind === 'initializer';

/** A Keras object (or a string identifier) → SerializedObject. */
export function objectFromKeras(family: Family, value: unknown, place: ReadPlace): SerializedObject {
  if (typeof value === 'string') {
    const spec = findByIdentifier(family, value);
    if (spec === undefined) throw unknownClass(family, value, place);
    return { className: spec.className, config: defaultsFor(spec, 'keras') };
  }
  const parsed = kerasObjectSchema.safeParse(value);
  if (!parsed.success) {
    throw readError(place, `is not a Keras ${family} object`, '{ module, class_name, config, registered_name }', value);
  }
  const spec = findClass(family, parsed.data.class_name);
  if (spec === undefined || (parsed.data.registered_name ?? null) !== null) throw unknownClass(family, parsed.data.class_name, place);
  return { className: spec.className, config: configFromKeras(spec, parsed.data.config, at(place, 'config')) };
}

export function unknownClass(family: Family, className: string, place: ReadPlace) {
  return readError(
    place,
    `names ${family} class ${JSON.stringify(className)}, which keras-ts cannot load`,
    `one of ${supportedClassNames(family).join(', ')}`,
    className,
  );
}

/** A Keras config → keras-ts config: camelCase keys, Keras-only keys dropped, values checked. */
export function configFromKeras(spec: ClassSpec, config: Record<string, unknown>, place: ReadPlace): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of spec.keys) {
    const present = hasOwn(config, key.keras);
    const value = config[key.keras];
    if (isKerasOnly(key)) {
      if (key.mustEqual === true && present && !jsonEqual(value, key.value)) {
        throw readError(at(place, key.keras), `is set, which keras-ts does not support for ${spec.className}`, describe(key.value), value);
      }
      continue;
    }
    if (!present) {
      const fallback = key.kerasDefault !== undefined ? key.kerasDefault : key.default;
      if (fallback === undefined) throw readError(at(place, key.keras), 'is missing', `a value (${key.kind})`);
      out[tsKey(key)] = expandDefault(key.kind, fallback);
      continue;
    }
    out[tsKey(key)] = valueFromKeras(key, value, at(place, key.keras));
  }
  return out;
}

function valueFromKeras(field: Field, value: unknown, place: ReadPlace): unknown {
  if (value === null) {
    if (field.nullable === true) return null;
    throw readError(place, 'is null', `a value (${field.kind})`);
  }
  if (isNested(field.kind)) return objectFromKeras(field.kind, value, place);
  const { schema, expected } = SCHEMAS[field.kind];
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw readError(place, 'has the wrong type', expected, value);
  return parsed.data;
}

/** A table default in keras-ts form: nested objects named by class become full SerializedObjects. */
function expandDefault(kind: ValueKind, value: unknown): unknown {
  if (isNested(kind) && typeof value === 'string') {
    const spec = findByIdentifier(kind, value);
    if (spec === undefined) throw new Error(`class table names unknown default ${value}`);
    return { className: spec.className, config: defaultsFor(spec, 'ts') };
  }
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

/** A class's config with every key at its default (`keras`: Keras' defaults where they differ). */
export function defaultsFor(spec: ClassSpec, whose: 'ts' | 'keras'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of spec.keys) {
    if (isKerasOnly(key)) continue;
    const value = whose === 'keras' && key.kerasDefault !== undefined ? key.kerasDefault : key.default;
    if (value === undefined) throw new ConfigError(`${spec.className} has no default for \`${tsKey(key)}\`; give it in a config`);
    out[tsKey(key)] = expandDefault(key.kind, value);
  }
  return out;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Writing (keras-ts → Keras)

/** SerializedObject, string identifier or class instance form → Keras' object envelope. */
export function objectToKeras(family: Family, value: unknown, path: string): { [key: string]: PyJson } {
  let spec: ClassSpec | undefined;
  let config: Record<string, unknown> = {};
  if (typeof value === 'string') {
    spec = findByIdentifier(family, value);
  } else if (isRecord(value) && typeof value['className'] === 'string') {
    spec = findClass(family, value['className']);
    if (value['config'] !== undefined && value['config'] !== null) {
      if (!isRecord(value['config'])) throw writeError(`${path}.config`, 'an object', value['config']);
      config = value['config'];
    }
  } else {
    throw writeError(path, `a ${family} as { className, config } or a name`, value);
  }
  if (spec === undefined) throw writeError(path, `a ${family} class keras-ts can save (${supportedClassNames(family).join(', ')})`, value);
  return { module: spec.module, class_name: spec.className, config: configToKeras(spec, config, `${path}.config`), registered_name: null };
}

/**
 * A keras-ts config → Keras config, keys in Keras' order, Keras-only keys at Keras' defaults.
 * `extraKeys` are keras-ts keys handled by the caller (a layer's `inputShape`).
 */
export function configToKeras(
  spec: ClassSpec,
  config: Record<string, unknown>,
  path: string,
  extraKeys: readonly string[] = [],
): { [key: string]: PyJson } {
  const known = new Set<string>(extraKeys);
  for (const key of spec.keys) if (!isKerasOnly(key)) known.add(tsKey(key));
  for (const name of Object.keys(config)) {
    if (!known.has(name)) throw writeError(`${path}.${name}`, `a key of ${spec.className} (${[...known].join(', ')})`, name);
  }
  const out: { [key: string]: PyJson } = {};
  for (const key of spec.keys) {
    if (isKerasOnly(key)) {
      out[key.keras] = key.value;
      continue;
    }
    const name = tsKey(key);
    const value = config[name] === undefined ? key.default : config[name];
    if (value === undefined) throw writeError(`${path}.${name}`, `a value for ${spec.className}.${name}`, undefined);
    if (value === null && key.omitWhenNull === true) continue;
    out[key.keras] = valueToKeras(key, value, `${path}.${name}`);
  }
  return out;
}

function valueToKeras(field: Field, value: unknown, path: string): PyJson {
  if (value === null) {
    if (field.nullable === true) return null;
    throw writeError(path, `a value (${field.kind})`, value);
  }
  switch (field.kind) {
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return new PyFloat(value);
      break;
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    case 'string':
    case 'activation':
      if (typeof value === 'string') return value;
      break;
    case 'dims':
      if (Array.isArray(value) && value.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))) return value as (number | null)[];
      break;
    case 'shape':
      if (Array.isArray(value) && value.length > 0 && value.every((d) => Number.isInteger(d) && ((d as number) > 0 || d === -1))) return [...(value as number[])];
      break;
    case 'axes':
      // Keras' built layer holds its axes as a list ([-1] for -1), and writes that.
      if (Number.isInteger(value)) return [value as number];
      if (Array.isArray(value) && value.length > 0 && value.every((d) => Number.isInteger(d))) return [...(value as number[])];
      break;
    default:
      return objectToKeras(field.kind, value, path);
  }
  throw writeError(path, field.kind === 'activation' ? 'an activation name' : `a value of kind ${field.kind}`, value);
}
