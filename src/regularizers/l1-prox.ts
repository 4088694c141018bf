/**
 * L1Prox: the L1 penalty l1·Σ|w| applied by its proximal operator instead of its subgradient.
 * The penalty is reported in the loss like L1's but contributes no gradient; after each optimizer
 * step the weight is soft-thresholded, w ← sign(w)·max(|w| − lr·l1, 0) (lr: the optimizer's current
 * learning rate), which sets small weights exactly to zero where the subgradient only makes them
 * oscillate around it (proximal gradient descent, ISTA). With an adaptive optimizer (Adam) the
 * threshold lr·l1 ignores the per-weight step sizes: a common, cheap approximation.
 */
import { tf } from '../backend/tf';
import { withGradient } from '../backend/custom-gradient';
import { absSum } from '../backend/penalty-kernels';
import { nonNegativeNumber, readOptions } from '../options';
import { Regularizer } from './regularizer';

const OWNER = 'regularizers.l1Prox';

/** l1·Σ|w| whose gradient is zero: the proximal step does the shrinking. */
function reportedPenalty(w: tf.Tensor, l1: number): tf.Scalar {
  const penalty = withGradient<tf.Scalar>(([x]) => ({
    value: tf.mul(absSum(x!), l1),
    gradFunc: () => [tf.zerosLike(x!)],
  }));
  return penalty(w);
}

export class L1Prox extends Regularizer {
  readonly className = 'L1Prox';
  readonly l1: number;

  /** `new L1Prox(1e-4)` or `new L1Prox({ l1: 1e-4 })` (default 0.01, as L1). */
  constructor(l1?: number | { l1?: number | null } | null) {
    super();
    const value = l1 !== null && typeof l1 === 'object' ? readOptions(OWNER, l1, ['l1']).l1 : l1;
    this.l1 = nonNegativeNumber('l1', OWNER, value ?? 0.01);
  }

  apply(w: tf.Tensor): tf.Scalar {
    return tf.tidy(() => reportedPenalty(w, this.l1));
  }

  override proximalStep(w: tf.Variable, learningRate: number, stepScale?: tf.Tensor): void {
    const threshold = learningRate * this.l1;
    if (!(threshold > 0)) return;
    // Under Adam the threshold is preconditioned like the step itself (lr·λ/(√v̂ + ε) per weight),
    // so l1_prox=λ prunes about as hard as l1=λ does through the gradient; under SGD it is lr·λ.
    const shrunk = tf.tidy(() => {
      const t = stepScale === undefined ? threshold : tf.mul(stepScale, threshold);
      return tf.mul(tf.sign(w), tf.relu(tf.sub(tf.abs(w), t)));
    });
    w.assign(shrunk);
    shrunk.dispose();
  }

  getConfig(): { l1: number } {
    return { l1: this.l1 };
  }
}
