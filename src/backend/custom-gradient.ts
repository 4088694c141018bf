/** A typed front for tf.customGrad: the forward gets its tensor inputs as an array. */
import { tf } from './tf';

export interface ForwardResult<T extends tf.Tensor> {
  value: T;
  /** Gradients for each input, in input order. */
  gradFunc: (dy: T, saved: tf.Tensor[]) => tf.Tensor[];
}

export function withGradient<T extends tf.Tensor>(
  forward: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => ForwardResult<T>,
): (...inputs: tf.Tensor[]) => T {
  type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return forward(args.slice(0, -1) as tf.Tensor[], save);
  }) as unknown as CustomGradientFunc);
  return (...inputs) => op(...inputs) as T;
}
