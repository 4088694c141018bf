/**
 * Where a search looks: points of the unit cube [0, 1)^d, one per trial, mapped onto each
 * dimension's range by `space.ts`. Both samplers are pure functions of (seed, stream, index), so a
 * resumed search asks for exactly the points the interrupted one would have.
 *
 * - `random`: independent uniform draws (sfc32 seeded from the search seed and the stream).
 * - `halton`: the Halton low-discrepancy sequence (radical inverses in the first d primes), which
 *   covers a range evenly with few points: 1/2, 1/4, 3/4, 1/8, … in base 2. Index 0 of the
 *   sequence (the origin) is skipped.
 */
import { RandomGenerator } from '../../backend/random';

export const SAMPLER_NAMES = ['halton', 'random'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

/** Van der Corput radical inverse of `index` in `base`: the digits of index mirrored after the point. */
export function radicalInverse(index: number, base: number): number {
  let result = 0;
  let fraction = 1 / base;
  for (let i = index; i > 0; i = Math.floor(i / base)) {
    result += (i % base) * fraction;
    fraction /= base;
  }
  return result;
}

/** Point `index` (0-based) of the d-dimensional Halton sequence, origin skipped. */
export function haltonPoint(index: number, dimensions: number): number[] {
  if (dimensions > PRIMES.length) throw new Error(`haltonPoint: at most ${PRIMES.length} dimensions`);
  return PRIMES.slice(0, dimensions).map((base) => radicalInverse(index + 1, base));
}

/** Point `index` of a uniform random stream: the same (seed, stream, index) gives the same point. */
export function randomPoint(seed: number, stream: number, index: number, dimensions: number): number[] {
  const generator = new RandomGenerator((seed ^ Math.imul(stream + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  return Array.from({ length: dimensions }, () => generator.next());
}

/** The sampler's point for trial `index` of search stream `stream` (one stream per technique). */
export function samplePoint(sampler: SamplerName, seed: number, stream: number, index: number, dimensions: number): number[] {
  return sampler === 'halton' ? haltonPoint(index, dimensions) : randomPoint(seed, stream, index, dimensions);
}
