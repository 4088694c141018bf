/** Option-object checks shared by layer factories: unknown names get a "did you mean" hint. */
import { ConfigError, describe, invalidArgument } from './errors';

const snakeToCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Edit distance, for suggesting the closest known option name. */
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

function suggestion(name: string, known: readonly string[]): string | undefined {
  const camel = snakeToCamel(name);
  if (known.includes(camel)) return camel;
  const lower = name.toLowerCase().replace(/_/g, '');
  const byCase = known.find((k) => k.toLowerCase() === lower);
  if (byCase !== undefined) return byCase;
  let best: string | undefined;
  let bestDistance = 3; // further than this is a guess, not a typo
  for (const k of known) {
    const d = distance(camel, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Throws on option names the factory does not know, suggesting the intended one. */
export function checkOptionNames(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`Invalid options for ${owner}: expected an object. Received: ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const hint = suggestion(name, known);
    throw new ConfigError(
      `Unknown option \`${name}\` for ${owner}${hint ? `: did you mean ${hint}?` : '.'} Known options: ${known.join(', ')}.`,
    );
  }
}

/** A layer name: non-empty, no slashes (names key weights). */
export function checkName(owner: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name.length === 0 || name.includes('/')) {
    throw invalidArgument('name', owner, 'a non-empty string without "/"', name);
  }
  return name;
}

/** A shape without the batch dimension: positive integers. */
export function checkInputShape(owner: string, shape: unknown): number[] | undefined {
  if (shape === undefined) return undefined;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw invalidArgument('inputShape', owner, 'an array of positive integers without the batch dimension, e.g. [20]', shape);
  }
  return [...shape] as number[];
}
