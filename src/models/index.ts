/** The models floor: `Sequential`, the model users build, compile, fit and save. */
export { Sequential } from './sequential';
export type { PredictOptions, SequentialConfig } from './sequential';
