/**
 * OrthogonalRegularizer (Keras 3 `regularizers.OrthogonalRegularizer`): pushes the rows (or
 * columns) of a rank-2 weight towards mutual orthogonality. With the rows L2-normalized
 * (x / max(‖x‖, 1e-7)) and P their Gram matrix, the penalty is
 * factor · ½ · Σ_{i≠j} |P_ij| / (n(n−1)/2), n the number of rows (columns).
 */
import { tf } from '../backend/tf';
import { ShapeError, invalidArgument } from '../errors';
import { nonNegativeNumber, readOptions } from '../options';
import { Regularizer } from './regularizer';

export interface OrthogonalRegularizerOptions {
  /** Penalty strength (default 0.01). */
  factor?: number | null;
  /** Which vectors to make orthogonal: 'rows' (default) or 'columns'. */
  mode?: 'rows' | 'columns' | null;
}

const OWNER = 'regularizers.orthogonalRegularizer';

/** x / max(‖x‖₂, ε) along `axis` (Keras' ops.normalize; ε = Keras' backend epsilon 1e-7). */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  const norm = tf.sqrt(tf.sum(tf.square(x), axis, true));
  return tf.div(x, tf.maximum(norm, 1e-7));
}

export class OrthogonalRegularizer extends Regularizer {
  readonly className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: 'rows' | 'columns';

  /** `new OrthogonalRegularizer({ factor: 0.01, mode: 'rows' })`. */
  constructor(options: OrthogonalRegularizerOptions = {}) {
    super();
    const o = readOptions(OWNER, options, ['factor', 'mode']);
    this.factor = nonNegativeNumber('factor', OWNER, o.factor ?? 0.01);
    const mode = o.mode ?? 'rows';
    if (mode !== 'rows' && mode !== 'columns') throw invalidArgument('mode', OWNER, "'rows' or 'columns'", mode);
    this.mode = mode;
  }

  apply(w: tf.Tensor): tf.Scalar {
    if (w.rank !== 2) throw new ShapeError(`Inputs to OrthogonalRegularizer must have rank 2. Received shape [${w.shape.join(', ')}]`);
    return tf.tidy(() => {
      const rows = this.mode === 'rows';
      const unit = l2Normalize(w, rows ? 1 : 0) as tf.Tensor2D;
      const product = rows ? tf.matMul(unit, unit, false, true) : tf.matMul(unit, unit, true, false); // [n, n]
      const n = product.shape[0];
      if (n < 2) return tf.scalar(0); // one vector: nothing to be orthogonal to
      const offDiagonal = tf.mul(product, tf.sub(1, tf.eye(n)));
      const pairs = (n * (n - 1)) / 2;
      return tf.mul(tf.sum(tf.abs(offDiagonal)), (this.factor * 0.5) / pairs) as tf.Scalar;
    });
  }

  getConfig(): { factor: number; mode: 'rows' | 'columns' } {
    return { factor: this.factor, mode: this.mode };
  }
}
