/** `Sequential`: the layer stack (src/model) plus Keras' training API, fit and evaluate. */
import { ready } from '../backend/backends';
import { checkBatchSize } from '../model/data';
import type { TensorInput } from '../model/data';
import { Network } from '../model/network';
import { evaluateTensors } from './evaluate';
import type { EvaluateLogs } from './evaluate';
import { fit } from './fit';
import type { FitOptions } from './fit-options';
import type { History } from './history';
import { prepareData } from './prepare-data';

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
