/**
 * keras-ts' one serializable form of a configurable object — a regularizer, constraint,
 * initializer, layer, optimizer or model: `{ className, config }`, with Keras' class names and the
 * constructor's options as config keys. `get(identifier)` of each namespace resolves a string, this
 * form, an instance or null; `.keras` files carry the same objects with snake_case keys.
 */
import { ConfigError, describe } from './errors';
import { closestName } from './options';

export interface SerializedObject {
  /** Keras class name: 'Dense', 'L1', 'MaxNorm', 'GlorotUniform', 'Adam', … */
  className: string;
  /** The constructor's options (camelCase); nested objects in this same form; null = not set. */
  config: Record<string, unknown>;
}

/** Anything that can describe itself in the serialized form. */
export interface Serializable {
  readonly className: string;
  getConfig(): Record<string, unknown>;
}

export function isSerializedObject(value: unknown): value is SerializedObject {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) &&
    typeof (value as { className?: unknown }).className === 'string' &&
    ((value as { config?: unknown }).config === undefined ||
      (typeof (value as { config?: unknown }).config === 'object' && (value as { config?: unknown }).config !== null))
  );
}

/** `{ className, config }` of an object. */
export function serialize(object: Serializable): SerializedObject {
  return { className: object.className, config: object.getConfig() };
}

/** Keras' to_snake_case: 'MaxNorm' → 'max_norm', 'L1L2' → 'l1_l2', 'GlorotUniform' → 'glorot_uniform'. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** 'glorot_uniform' / 'GlorotUniform' → 'glorotUniform'. */
export function toCamelCase(name: string): string {
  const camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return camel.charAt(0).toLowerCase() + camel.slice(1);
}

/** One class a namespace can build from its config. */
export interface ClassEntry<T> {
  className: string;
  fromConfig(config: Record<string, unknown>): T;
  /** Further names for the class beyond its Keras, snake_case and camelCase spellings. */
  aliases?: string[];
}

/**
 * Resolves identifiers of one kind ('regularizer', 'constraint', …) by Keras class name, its
 * snake_case and camelCase spellings, or `{ className, config }`. Names are matched exactly (no
 * case folding beyond these three spellings), in a Map, so no user string reaches an object's keys.
 */
export class ClassRegistry<T> {
  private readonly byName = new Map<string, ClassEntry<T>>();
  private readonly classes: ClassEntry<T>[] = [];

  constructor(readonly kind: string, entries: ClassEntry<T>[]) {
    for (const entry of entries) this.register(entry);
  }

  /** Adds a class (a custom one, for loading saved models that use it). */
  register(entry: ClassEntry<T>): void {
    this.classes.push(entry);
    const names = [entry.className, toSnakeCase(entry.className), toCamelCase(entry.className), ...(entry.aliases ?? [])];
    for (const name of names) this.byName.set(name, entry);
  }

  /** Keras class names, in registration order. */
  get classNames(): string[] {
    return this.classes.map((c) => c.className);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private entry(name: string): ClassEntry<T> {
    const found = this.byName.get(name);
    if (found !== undefined) return found;
    const hint = closestName(name, [...this.byName.keys()]);
    throw new ConfigError(
      `Unknown ${this.kind} ${describe(name)}${hint ? `: did you mean '${hint}'?` : '.'} Known: ${this.classNames.join(', ')}.`,
    );
  }

  /** A name ('l1', 'L1', 'max_norm') with default arguments. */
  fromName(name: string): T {
    return this.entry(name).fromConfig({});
  }

  /** `{ className, config }` → an instance; config keys are checked by the class. */
  fromSerialized(object: SerializedObject): T {
    const entry = this.entry(object.className);
    try {
      return entry.fromConfig(object.config ?? {});
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new ConfigError(`Invalid ${this.kind} config ${describe(object)}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
}
