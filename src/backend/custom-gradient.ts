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

/**
 * Saves tensors for a custom gradient, except variables. The engine copies every saved tensor
 * (the wasm backend's Identity copies the data), which for a 784×512 kernel is 1.6 MB per step; a
 * variable cannot be disposed by a tidy and is not reassigned while gradients are computed, so the
 * gradient may read it directly. `restore` puts the saved tensors and the variables back in order.
 */
export function saveExceptVariables(tensors: tf.Tensor[], save: tf.GradSaveFunc): (saved: tf.Tensor[]) => tf.Tensor[] {
  const kept = tensors.map((t) => (t instanceof tf.Variable ? t : undefined));
  save(tensors.filter((t) => !(t instanceof tf.Variable)));
  return (saved) => {
    let next = 0;
    return kept.map((variable) => variable ?? saved[next++]!);
  };
}
