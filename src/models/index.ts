/** The models floor: `Sequential`, the model users build, compile, fit and save, and `loadModel`. */
export { Sequential } from './sequential';
export { loadModel } from './load';
export type { PredictOptions, SequentialConfig } from './sequential';
export type { SaveOptions, SaveResult } from './save';
