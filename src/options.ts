/**
 * The one option checker every factory, `compile`, `fit`, `evaluate`, `predict`, callback and the
 * study uses: an options object must be an object (or null/undefined: "no options"); an unknown
 * name gets the closest known one as a hint (`kernel_regularizer` → kernelRegularizer); entries
 * whose value is null or undefined mean "not set", as in tfjs.
 */
import { ConfigError, describe, invalidArgument } from './errors';

const snakeToCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Edit distance, for suggesting the closest known name. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known name a user most likely meant: snake_case → camelCase, case, then edit distance ≤ 2. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const camel = snakeToCamel(name);
  if (known.includes(camel)) return camel;
  const lower = name.toLowerCase().replace(/_/g, '');
  const byCase = known.find((k) => k.toLowerCase().replace(/_/g, '') === lower);
  if (byCase !== undefined) return byCase;
  let best: string | undefined;
  let bestDistance = 3; // further than this is a guess, not a typo
  for (const k of known) {
    const d = distance(camel, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/**
 * Checks an options object and returns a copy holding only the set entries (null and undefined
 * dropped). Throws a ConfigError naming the owner, the unknown option and the closest known one.
 */
export function readOptions<T extends object>(owner: string, options: T | null | undefined, known: readonly string[]): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`Invalid options for ${owner}: expected an object. Received: ${describe(options)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) {
      const hint = closestName(name, known);
      throw new ConfigError(
        `Unknown option \`${name}\` for ${owner}${hint ? `: did you mean ${hint}?` : '.'} Known options: ${known.join(', ')}.`,
      );
    }
    if (value !== null && value !== undefined) out[name] = value;
  }
  return out as Partial<T>;
}

/** readOptions for callers that only need the check. */
export function checkOptionNames(owner: string, options: unknown, known: readonly string[]): void {
  readOptions(owner, options as object | null | undefined, known);
}

/** A layer name: non-empty, no slashes (names key weights). */
export function checkName(owner: string, name: unknown): string | undefined {
  if (name === undefined || name === null) return undefined;
  if (typeof name !== 'string' || name.length === 0 || name.includes('/')) {
    throw invalidArgument('name', owner, 'a non-empty string without "/"', name);
  }
  return name;
}

/** A shape without the batch dimension: positive integers. */
export function checkInputShape(owner: string, shape: unknown): number[] | undefined {
  if (shape === undefined || shape === null) return undefined;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw invalidArgument('inputShape', owner, 'an array of positive integers without the batch dimension, e.g. [20]', shape);
  }
  return [...shape] as number[];
}

/** A finite number >= 0 (penalty strengths, norms). */
export function nonNegativeNumber(arg: string, owner: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(arg, owner, 'a finite number >= 0', value);
  }
  return value;
}

/** An integer seed in [0, 2^32), or undefined when not set. */
export function optionalSeed(owner: string, seed: unknown): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (!(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 0xffffffff)) {
    throw invalidArgument('seed', owner, 'an integer in [0, 2^32)', seed);
  }
  return seed as number;
}
