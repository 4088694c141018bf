/** Stops training after a batch whose loss is NaN or infinite (Keras' TerminateOnNaN). */
import { Callback, modelOf } from './callback';
import type { BatchLogs } from './callback';

export class TerminateOnNaN extends Callback {
  override onBatchEnd(batch: number, logs: BatchLogs): void {
    const loss = logs['loss'];
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.print?.(`Batch ${batch}: Invalid loss, terminating training`);
      modelOf('TerminateOnNaN', this).stopTraining = true;
    }
  }
}
