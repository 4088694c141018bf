/** The bottom layer: the tfjs namespace, backend selection, seeded randomness and fast ops. */
export { tf } from './tf';
export { use, ready, current, available, wasmThreadCount } from './backends';
export type { BackendName, BackendChoice, UseOptions } from './backends';
export { setRandomSeed, nextGenerator, RandomGenerator } from './random';
