/** The Keras 3 `.keras` file codec: ModelArtifacts ⇄ bytes. */
export { encodeKerasArchive } from './encode';
export type { EncodeKerasOptions } from './encode';
export { decodeKerasArchive } from './decode';
export { KERAS_FORMAT_VERSION } from './format';
