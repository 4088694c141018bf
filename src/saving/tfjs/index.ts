/** The tfjs-layers format: model.json + weights.bin as stock tfjs-layers 4.22 writes them. */
export { artifactsToTfjs } from './to-tfjs';
export { tfjsToArtifacts } from './from-tfjs';
export { fileSystemHandler, MODEL_JSON, WEIGHTS_BIN } from './file-system';
export { parseModelPath } from './model-path';
export { METADATA_KEY, METADATA_VERSION } from './metadata';
export type { FileSystemHandler } from './file-system';
export type { ModelPath } from './model-path';
export type { KerasTsMetadata } from './metadata';
