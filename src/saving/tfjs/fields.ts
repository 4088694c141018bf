/**
 * Typed reads from a JSON-like config with errors that say where the value sits. The same reader
 * serves both directions of the codec: reading a file raises FormatError (naming the file), reading
 * keras-ts artifacts raises ConfigError.
 */
import { ConfigError, FormatError, describe } from '../../errors';

/** A plain JSON object (own keys only are ever read). */
export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Structural equality of JSON-like values (key order ignored, `undefined` keys count as absent). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/** A deep copy of a JSON-like value, so artifacts never share objects with a file's parsed JSON. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export class Fields {
  private constructor(
    /** The object being read. */
    readonly values: JsonObject,
    /** Where it sits, e.g. `layer "dense" (Dense) in /tmp/m/model.json`. */
    readonly where: string,
    private readonly makeError: (message: string) => Error,
  ) {}

  /** Fields of a file being read: problems are FormatErrors. */
  static ofFile(values: JsonObject, where: string): Fields {
    return new Fields(values, where, (message) => new FormatError(message));
  }

  /** Fields of keras-ts artifacts being written: problems are ConfigErrors. */
  static ofArtifacts(values: JsonObject, where: string): Fields {
    return new Fields(values, where, (message) => new ConfigError(message));
  }

  /** The same kind of reader over a nested object. */
  nested(values: JsonObject, where: string): Fields {
    return new Fields(values, where, this.makeError);
  }

  /** An error of this reader's kind about the object as a whole. */
  error(message: string): Error {
    return this.makeError(`${message} (in ${this.where})`);
  }

  /** ``Invalid `units` in layer "dense" (Dense) in model.json: expected a positive integer. Received: units=0`` */
  invalid(key: string, expected: string): Error {
    return this.makeError(`Invalid \`${key}\` in ${this.where}: expected ${expected}. Received: ${key}=${describe(this.get(key))}`);
  }

  /** An own property's value; `undefined` when absent (inherited names like `toString` never count). */
  get(key: string): unknown {
    return Object.hasOwn(this.values, key) ? this.values[key] : undefined;
  }

  /** Absent, `undefined` or `null`. */
  isUnset(key: string): boolean {
    return this.get(key) == null;
  }

  number(key: string, fallback?: number): number {
    const value = this.get(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.invalid(key, 'a finite number');
    return value;
  }

  integer(key: string, fallback?: number): number {
    const value = this.number(key, fallback);
    if (!Number.isInteger(value)) throw this.invalid(key, 'an integer');
    return value;
  }

  positiveInteger(key: string): number {
    const value = this.get(key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw this.invalid(key, 'a positive integer');
    return value;
  }

  /** An integer or null (seeds); absent reads as null. */
  seed(key: string): number | null {
    const value = this.get(key);
    if (value == null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.invalid(key, 'an integer or null');
    return value;
  }

  string(key: string, fallback?: string): string {
    const value = this.get(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string') throw this.invalid(key, 'a string');
    return value;
  }

  boolean(key: string, fallback?: boolean): boolean {
    const value = this.get(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') throw this.invalid(key, 'a boolean');
    return value;
  }

  /** An array of positive integers, or null; absent reads as null. */
  nullableShape(key: string): number[] | null {
    const value = this.get(key);
    if (value == null) return null;
    if (!Array.isArray(value) || !value.every((d) => Number.isInteger(d) && (d as number) > 0)) {
      throw this.invalid(key, 'an array of positive integers or null');
    }
    return [...(value as number[])];
  }
}
