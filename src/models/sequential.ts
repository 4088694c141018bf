/** `Sequential`: the layer stack (src/model) plus Keras' training API, fit and evaluate. */
import { ready } from '../backend/backends';
import { checkBatchSize } from '../training/data';
import type { TensorInput } from '../training/data';
import { Network } from './network';
import { evaluateTensors } from '../training/evaluate';
import type { EvaluateLogs } from '../training/evaluate';
import { fit } from '../training/fit';
import type { FitOptions } from '../training/fit-options';
import type { History } from '../training/history';
import { prepareData } from '../training/prepare-data';

export interface EvaluateOptions {
  /** Rows per forward pass (default 32). */
  batchSize?: number;
}

export class Sequential extends Network {
  /**
   * Trains the model. Resolves to a History whose `history` holds per-epoch `loss` (data loss +
   * regularization penalty, as in Keras), `penalty`, metrics and `val_`-prefixed validation values.
   */
  async fit(x: TensorInput, y: TensorInput, options: FitOptions = {}): Promise<History> {
    await ready(); // picks the 'auto' backend on first use
    return fit(this, x, y, options);
  }

  /** Inference-mode loss (data loss + penalty), `penalty` and metrics over (x, y). */
  async evaluate(x: TensorInput, y: TensorInput, options: EvaluateOptions = {}): Promise<EvaluateLogs> {
    const batchSize = checkBatchSize(options.batchSize ?? 32);
    await ready();
    const data = prepareData(this, x, y);
    try {
      return evaluateTensors(this, data.x, data.y, batchSize);
    } finally {
      for (const t of data.owned) t.dispose();
    }
  }
}
