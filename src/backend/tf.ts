/**
 * The one tfjs namespace keras-ts uses. Everything imports tf from here, and the package
 * re-exports it, so user code and keras-ts always share one engine and one backend registry.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
