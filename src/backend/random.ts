/**
 * Seeded randomness for everything keras-ts draws: initial weights, dropout masks, shuffling,
 * synthetic data. Draws happen in JS, never inside a kernel, so the same seed gives the same numbers
 * on every backend. A layer's stream is derived from the global seed and the layer's place in its
 * model (`derivedGenerator`), so it does not depend on what else the process built or drew.
 */
import { invalidArgument } from '../errors';

/** sfc32: small, fast, well-tested 32-bit generator (PractRand-clean); state is 4 words. */
export class RandomGenerator {
  /**
   * a, b, c, d in an Int32Array: the words span the full 32 bits, beyond V8's small integers, and
   * plain fields holding them change representation as values come and go, which deoptimizes
   * the loops below; typed-array elements keep one type.
   */
  private readonly state = new Int32Array(4);

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
    for (let i = 0; i < 4; i++) this.state[i] = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const s = this.state;
    const a = s[0]!;
    const b = s[1]!;
    const c = s[2]!;
    const d = s[3]!;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = d + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + t;
    return t >>> 0;
  }

  /**
   * Dropout's keep mask: out[i] = `keep` (as float32) where draw i ≥ rate·2³² (kept), else 0 — one
   * draw per entry, the same draws as calling nextUint32() out.length times, in integer-only
   * arithmetic on local copies of the state: about 3x faster than calling nextUint32 per entry.
   */
  fillKeepMask(out: Float32Array, rate: number, keep: number): void {
    // draw ≥ rate·2³² ⇔ draw ≥ ⌈rate·2³²⌉ for integer draws; compared as int32 with the sign bit
    // flipped, so the loop stays in integer arithmetic.
    const threshold = Math.ceil(rate * 4294967296);
    if (threshold > 0xffffffff) {
      out.fill(0);
      for (let i = 0; i < out.length; i++) this.nextUint32();
      return;
    }
    const flippedThreshold = (threshold ^ 0x80000000) | 0;
    // Entries are written as the float32 bit patterns of `keep` and 0 through an integer view: a
    // store that is sometimes a small integer (keep = 2 at rate 0.5) and sometimes a fraction
    // would make V8 fall back to slow generic code.
    const keepBits = new Int32Array(new Float32Array([keep]).buffer)[0]!;
    const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
    const s = this.state;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    for (let i = 0; i < bits.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      bits[i] = (t ^ 0x80000000) >= flippedThreshold ? keepBits : 0;
    }
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
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

  /** The generator's position (4 words), to save with a model and resume the same stream. */
  getState(): number[] {
    return Array.from(this.state);
  }

  setState(state: readonly number[]): void {
    if (state.length !== 4 || !state.every((w) => Number.isInteger(w))) {
      throw invalidArgument('state', 'RandomGenerator.setState', 'four integers (from getState)', state);
    }
    this.state.set(state);
  }
}

/** FNV-1a over the seed's digits and the keys: a well-spread 32-bit seed for one named stream. */
function mixSeed(seed: number, keys: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed >>> 0}|${keys.join('|')}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

let globalSeed = (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
let globalStream = new RandomGenerator(globalSeed);

/**
 * Makes initial weights, dropout masks and shuffling deterministic from here on.
 * Like Keras' `utils.set_random_seed`: call it once before building the model.
 */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw invalidArgument('seed', 'setRandomSeed', 'an integer in [0, 2^32)', seed);
  }
  globalSeed = seed;
  globalStream = new RandomGenerator(seed);
}

/**
 * A generator for one named stream of the current global seed, e.g. ('Dense', 0, 'weights') for the
 * first Dense layer of a model: the same seed and keys give the same stream, whatever else was drawn.
 */
export function derivedGenerator(...keys: (string | number)[]): RandomGenerator {
  return new RandomGenerator(mixSeed(globalSeed, keys));
}

/** A generator for one consumer (a layer, an initializer, a fit call); `seed` pins it explicitly. */
export function nextGenerator(seed?: number): RandomGenerator {
  return seed === undefined ? globalStream.fork() : new RandomGenerator(seed);
}
