/**
 * The `losses` namespace, Keras' spelling: `losses.CategoricalCrossentropy({ labelSmoothing: 0.1 })`
 * gives a Loss for compile; `losses.get` resolves a name, `{ className, config }`, a function or a Loss.
 */
export { BinaryCrossentropy, CategoricalCrossentropy, MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy, lossConfig as serialize } from './losses';
export { getLoss as get } from './losses';
export type { CrossentropyOptions, SparseCrossentropyOptions, Loss, LossLike } from './losses';
