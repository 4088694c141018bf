/**
 * tfjs keeps copies of the tensors each recorded op needs for backprop on its gradient tape and
 * frees them when the gradients are computed. If the function being differentiated throws (a custom
 * loss or regularizer that fails mid-way), the tape is abandoned with those copies still alive: a
 * leak of a few tensors per failed step. This frees them once the outermost gradient scope is gone.
 * It reads two fields of tfjs-core 4.22's engine state; if they are not there it does nothing.
 */
import { tf } from './tf';

interface TapeState {
  gradientDepth?: number;
  activeTape?: { saved?: tf.Tensor[] }[] | null;
}

export function withTapeCleanup<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const state = (tf.engine() as unknown as { state?: TapeState }).state;
    if (state !== undefined && state.gradientDepth === 0 && Array.isArray(state.activeTape)) {
      for (const node of state.activeTape) if (node.saved) tf.dispose(node.saved);
      state.activeTape = [];
    }
    throw error;
  }
}
