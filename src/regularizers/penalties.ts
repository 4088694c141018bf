/**
 * L1, L2 and L1L2 with Keras 3's formulas and defaults (keras/src/regularizers/regularizers.py,
 * Keras 3.15): L1 adds l1·Σ|w| (l1 defaults to 0.01), L2 adds l2·Σw² (0.01, no ½ factor), L1L2 both
 * (each defaults to 0: `L1L2({ l2: 0.1 })` has no L1 part). A null strength means the default.
 */
import { tf } from '../backend/tf';
import { saveExceptVariables, withGradient } from '../backend/custom-gradient';
import { absSum, signScale, squareSum } from '../backend/penalty-kernels';
import { nonNegativeNumber, readOptions } from '../options';
import { Regularizer } from './regularizer';

/**
 * l1·Σ|w| with the subgradient l1·sign(w) (0 at w = 0, so exact zeros stay put). On wasm and cpu the
 * sum and the sign are one pass each (backend/penalty-kernels.ts).
 */
function l1Penalty(w: tf.Tensor, l1: number): tf.Scalar {
  const penalty = withGradient<tf.Scalar>(([x], save) => {
    const restore = saveExceptVariables([x!], save);
    return {
      value: tf.mul(absSum(x!), l1),
      gradFunc: (dy, saved) => [signScale(restore(saved)[0]!, tf.mul(dy, l1))],
    };
  });
  return penalty(w);
}

/**
 * l2·Σw² with the gradient written as one full-size multiply, w·((dy·l2)·2), instead of autograd's
 * four (broadcast, cast, 2w, product). Same value bit for bit: scaling by 2 is exact.
 */
function l2Penalty(w: tf.Tensor, l2: number): tf.Scalar {
  const penalty = withGradient<tf.Scalar>(([x], save) => {
    const restore = saveExceptVariables([x!], save);
    return {
      value: tf.mul(squareSum(x!), l2),
      gradFunc: (dy, saved) => [tf.mul(restore(saved)[0]!, tf.mul(tf.mul(dy, l2), 2))],
    };
  });
  return penalty(w);
}

/** A strength given positionally (`l1(0.001)`) or in a config object (`{ l1: 0.001 }`). */
function strengthArg(key: 'l1' | 'l2', owner: string, arg: number | Record<string, unknown> | null | undefined, fallback: number): number {
  if (arg !== null && typeof arg === 'object') {
    const value = readOptions(owner, arg, [key])[key];
    return nonNegativeNumber(key, owner, value ?? fallback);
  }
  return nonNegativeNumber(key, owner, arg ?? fallback);
}

export class L1 extends Regularizer {
  readonly className = 'L1';
  readonly l1: number;
  /** `new L1(0.001)` or `new L1({ l1: 0.001 })` (default 0.01). */
  constructor(l1?: number | { l1?: number | null } | null) {
    super();
    this.l1 = strengthArg('l1', 'regularizers.l1', l1 as number | Record<string, unknown> | null | undefined, 0.01);
  }
  apply(w: tf.Tensor): tf.Scalar {
    return tf.tidy(() => l1Penalty(w, this.l1));
  }
  getConfig(): { l1: number } {
    return { l1: this.l1 };
  }
}

export class L2 extends Regularizer {
  readonly className = 'L2';
  readonly l2: number;
  /** `new L2(0.001)` or `new L2({ l2: 0.001 })` (default 0.01). */
  constructor(l2?: number | { l2?: number | null } | null) {
    super();
    this.l2 = strengthArg('l2', 'regularizers.l2', l2 as number | Record<string, unknown> | null | undefined, 0.01);
  }
  apply(w: tf.Tensor): tf.Scalar {
    return tf.tidy(() => l2Penalty(w, this.l2));
  }
  getConfig(): { l2: number } {
    return { l2: this.l2 };
  }
}

export interface L1L2Options {
  /** L1 strength (default 0, as Keras 3). */
  l1?: number | null;
  /** L2 strength (default 0, as Keras 3). */
  l2?: number | null;
}

export class L1L2 extends Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(options: L1L2Options = {}) {
    super();
    const owner = 'regularizers.l1l2';
    const o = readOptions(owner, options, ['l1', 'l2']);
    this.l1 = nonNegativeNumber('l1', owner, o.l1 ?? 0);
    this.l2 = nonNegativeNumber('l2', owner, o.l2 ?? 0);
  }
  apply(w: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      // Keras adds a term only when its strength is non-zero.
      if (this.l1 !== 0 && this.l2 !== 0) return tf.add(l1Penalty(w, this.l1), l2Penalty(w, this.l2)) as tf.Scalar;
      if (this.l1 !== 0) return l1Penalty(w, this.l1);
      if (this.l2 !== 0) return l2Penalty(w, this.l2);
      return tf.scalar(0);
    });
  }
  getConfig(): { l1: number; l2: number } {
    return { l1: this.l1, l2: this.l2 };
  }
}
