/**
 * Seeded randomness for everything keras-ts draws: initial weights, dropout masks, shuffling,
 * synthetic data. One global stream (set by `setRandomSeed`) hands out child generators, so the
 * same seed gives the same numbers on every backend: draws happen in JS, never inside a kernel.
 */
import { invalidArgument } from '../errors';

/** sfc32: small, fast, well-tested 32-bit generator (PractRand-clean); state is 4 words. */
export class RandomGenerator {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 expands one seed into four well-mixed state words.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /**
   * Dropout's keep mask: out[i] = `keep` where draw i ≥ rate·2³² (kept), else 0 — one draw per entry,
   * the same draws as calling nextUint32() out.length times. The loop works on local copies of
   * the state: calling nextUint32 per entry costs about 3x as much.
   */
  fillKeepMask(out: Float32Array, rate: number, keep: number): void {
    const threshold = rate * 4294967296;
    // `| 0` keeps the locals int32 from the start (the fields may be stored as doubles).
    let a = this.a | 0;
    let b = this.b | 0;
    let c = this.c | 0;
    let d = this.d | 0;
    for (let i = 0; i < out.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[i] = t >>> 0 >= threshold ? keep : 0;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fills a new Float32Array with uniform values in [min, max). */
  uniform(size: number, min = 0, max = 1): Float32Array {
    const out = new Float32Array(size);
    const span = max - min;
    for (let i = 0; i < size; i++) out[i] = min + span * (this.nextUint32() / 4294967296);
    return out;
  }

  /** A permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  /** A child generator whose stream depends only on this generator's next draw. */
  fork(): RandomGenerator {
    return new RandomGenerator(this.nextUint32());
  }
}

let globalStream = new RandomGenerator(Date.now() ^ (Math.random() * 0x7fffffff));

/**
 * Makes initial weights, dropout masks and shuffling deterministic from here on.
 * Like Keras' `utils.set_random_seed`: call it once before building the model.
 */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw invalidArgument('seed', 'setRandomSeed', 'an integer in [0, 2^32)', seed);
  }
  globalStream = new RandomGenerator(seed);
}

/** A generator for one consumer (a layer, an initializer, a fit call); `seed` pins it explicitly. */
export function nextGenerator(seed?: number): RandomGenerator {
  return seed === undefined ? globalStream.fork() : new RandomGenerator(seed);
}
