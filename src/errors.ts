/**
 * keras-ts error tree. Every message follows one template, Keras-style:
 * what is wrong, what was expected, what was received (and, where it helps, how to fix it).
 */
export class KerasTsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A constructor argument, option or config value is invalid. */
export class ConfigError extends KerasTsError {}

/** A tensor or array has the wrong shape for where it is used. */
export class ShapeError extends KerasTsError {}

/** Training or evaluation data is invalid (NaN, empty, mismatched rows, unreadable files). */
export class DataError extends KerasTsError {}

/** A backend was asked for that cannot be loaded on this machine. */
export class BackendError extends KerasTsError {}

/** Training could not go on (for example the loss became NaN). */
export class TrainingError extends KerasTsError {}

/**
 * A model file is not what its format requires: wrong kind of file, a missing, oversized or corrupt
 * entry, an unsafe entry name, or contents that disagree with each other. The message names the file
 * and the entry.
 */
export class FormatError extends KerasTsError {}

/** Formats a value for an error message: short, unambiguous (strings quoted, arrays bracketed). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** ``Invalid `rate` for Dropout: expected a number in [0, 1). Received: rate=1.5`` */
export function invalidArgument(arg: string, owner: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(`Invalid \`${arg}\` for ${owner}: expected ${expected}. Received: ${arg}=${describe(received)}`);
}
